package onair.record;

import onair.it.FlvTag;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A recorded FLV file read whole and checked strictly: the 9-byte header, PreviousTagSize0 of 0, every tag's
 * PreviousTagSize equal to its size, and no bytes after the last trailer.
 */
record RecordedFile(Path path, int flags, List<FlvTag> tags) {

    static RecordedFile read(Path path) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(path));
        assertThat(in.remaining()).as("%s holds a header", path).isGreaterThanOrEqualTo(13);
        byte[] signature = new byte[4];
        in.get(signature);
        assertThat(signature).as("FLV signature and version").containsExactly('F', 'L', 'V', 1);
        int flags = in.get() & 0xff;
        assertThat(in.getInt()).as("header size").isEqualTo(9);
        assertThat(in.getInt()).as("PreviousTagSize0").isZero();
        List<FlvTag> tags = new ArrayList<>();
        while (in.hasRemaining()) {
            assertThat(in.remaining()).as("%s: room for a tag header at %d", path, in.position())
                .isGreaterThanOrEqualTo(11);
            int type = in.get() & 0x1f;
            int size = (in.get() & 0xff) << 16 | (in.get() & 0xff) << 8 | in.get() & 0xff;
            long timestamp = (in.get() & 0xffL) << 16 | (in.get() & 0xffL) << 8 | in.get() & 0xffL
                | (in.get() & 0xffL) << 24;
            in.position(in.position() + 3);
            assertThat(in.remaining()).as("%s: room for a %d-byte body and trailer", path, size)
                .isGreaterThanOrEqualTo(size + 4);
            byte[] body = new byte[size];
            in.get(body);
            assertThat(in.getInt()).as("PreviousTagSize of tag %d", tags.size()).isEqualTo(11 + size);
            tags.add(new FlvTag(type, timestamp, body));
        }
        return new RecordedFile(path, flags, tags);
    }

    List<FlvTag> of(int type) {
        return tags.stream().filter(tag -> tag.type() == type).toList();
    }

    /** The sequence numbers of the coded video frames (see {@code Frames.video}). */
    List<Integer> videoSequences() {
        return tags.stream().filter(FlvTag::isCodedFrame).map(RecordedFile::sequence).toList();
    }

    /** The sequence numbers of the audio frames that are not the AAC sequence header. */
    List<Integer> audioSequences() {
        return tags.stream().filter(tag -> tag.type() == FlvTag.AUDIO && tag.body()[1] == 1)
            .map(RecordedFile::sequence).toList();
    }

    /** The type of each of the first {@code n} tags, and whether video ones are headers or keyframes. */
    List<String> head(int n) {
        return tags.stream().limit(n).map(tag -> switch (tag.type()) {
            case FlvTag.SCRIPT -> "meta";
            case FlvTag.AUDIO -> tag.body()[1] == 0 ? "aac-header" : "audio";
            case FlvTag.VIDEO -> tag.isSequenceHeader() ? "avc-header" : tag.isVideoKeyframe() ? "keyframe" : "video";
            default -> "type " + tag.type();
        }).toList();
    }

    private static int sequence(FlvTag tag) {
        byte[] b = tag.body();
        return ByteBuffer.wrap(Arrays.copyOfRange(b, b.length - 4, b.length)).getInt();
    }
}
