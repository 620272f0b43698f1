package onair.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** An FLV file held in memory as a list of tags whose bodies are slices of one buffer (FLV spec §E.2–E.4). */
public final class FlvFile {

    /** One FLV tag: type 8 audio, 9 video, 18 script data; {@code timestamp} in milliseconds. */
    public record Tag(int type, int timestamp, ByteBuf body) {
    }

    private final List<Tag> tags;
    private final int duration;

    private FlvFile(List<Tag> tags, int duration) {
        this.tags = tags;
        this.duration = duration;
    }

    public static FlvFile read(Path file) throws IOException {
        ByteBuf in = Unpooled.wrappedBuffer(Files.readAllBytes(file));
        if (in.readableBytes() < 13 || in.getMedium(0) != ('F' << 16 | 'L' << 8 | 'V')) {
            throw new IOException(file + " is not an FLV file");
        }
        in.readerIndex(in.getInt(5) + 4);
        List<Tag> tags = new ArrayList<>();
        int lastVideo = 0;
        int videoGap = 40;
        while (in.readableBytes() >= 11) {
            int type = in.readUnsignedByte() & 0x1f;
            int size = in.readUnsignedMedium();
            int timestamp = in.readUnsignedMedium() | in.readUnsignedByte() << 24;
            in.skipBytes(3);
            if (in.readableBytes() < size + 4) {
                break;
            }
            ByteBuf body = in.readSlice(size);
            in.skipBytes(4);
            if (type == 8 || type == 9 || type == 18) {
                tags.add(new Tag(type, timestamp, body));
            }
            if (type == 9 && timestamp > lastVideo) {
                videoGap = timestamp - lastVideo;
                lastVideo = timestamp;
            }
        }
        int last = tags.stream().mapToInt(Tag::timestamp).max().orElse(0);
        return new FlvFile(List.copyOf(tags), last + videoGap);
    }

    public List<Tag> tags() {
        return tags;
    }

    /** Milliseconds from the first tag to one video frame after the last: the offset to add on each loop. */
    public int duration() {
        return duration;
    }
}
