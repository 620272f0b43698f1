package onair.media;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import onair.testing.TrackingAllocator;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads the tag header of arbitrary audio, video and script-data bodies, legacy FLV and Enhanced RTMP alike. */
class MediaFrameFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyTagBodyMakesAFrameWithoutThrowing(FuzzedDataProvider data) {
        TrackingAllocator alloc = new TrackingAllocator();
        MediaFrame.Kind kind = data.pickValue(MediaFrame.Kind.values());
        int timestamp = data.consumeInt();
        int junkBefore = data.consumeInt(0, 16);
        byte[] body = data.consumeRemainingAsBytes();
        ByteBuf framed = alloc.buffer(junkBefore + body.length + 8).writeZero(junkBefore).writeBytes(body).writeZero(8);
        ByteBuf payload = framed.retainedSlice(junkBefore, body.length);
        framed.release();

        MediaFrame frame = MediaFrame.of(kind, timestamp, payload);
        MediaFrame copy = frame.withTimestamp(timestamp + 1);

        assertThat(frame.header()).isNotNull();
        assertThat(frame.isKeyframe()).isEqualTo(kind == MediaFrame.Kind.VIDEO && frame.header().keyframe()
            && !frame.isSequenceHeader());
        assertThat(frame.size()).isEqualTo(body.length);
        assertThat(frame.toString()).isNotEmpty();
        assertThat(copy.header()).isEqualTo(frame.header());
        copy.release();
        frame.release();
        assertThat(alloc.unreleased()).isEmpty();
    }
}
