package onair.media;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads arbitrary Enhanced RTMP bodies: each is refused with a {@link MediaFormatException} or gives tracks that lie
 * inside the body, at most {@link EnhancedTag#MAX_TRACKS} of them.
 */
class EnhancedTagFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void anyBodyGivesTracksInsideItOrAFormatError(FuzzedDataProvider data) {
        MediaFrame.Kind kind = data.consumeBoolean() ? MediaFrame.Kind.VIDEO : MediaFrame.Kind.AUDIO;
        int first = kind == MediaFrame.Kind.VIDEO ? 0x80 | data.consumeInt(0, 0x7f) : 0x90 | data.consumeInt(0, 15);
        byte[] rest = data.consumeRemainingAsBytes();
        ByteBuf body = Unpooled.buffer(rest.length + 1).writeByte(first).writeBytes(rest);
        EnhancedTag tag;
        try {
            tag = EnhancedTag.read(kind, body);
        } catch (MediaFormatException e) {
            assertThat(e.getMessage()).isNotEmpty();
            return;
        }
        assertThat(tag.tracks()).isNotEmpty().hasSizeLessThanOrEqualTo(EnhancedTag.MAX_TRACKS);
        for (EnhancedTag.Track track : tag.tracks()) {
            assertThat(track.offset()).isBetween(1, body.writerIndex());
            assertThat(track.length()).isBetween(0, body.writerIndex() - track.offset());
        }
    }
}
