package onair.rtmp.chunk;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import onair.rtmp.RtmpProtocolException;
import onair.rtmp.message.RtmpMessageCodec;
import onair.testing.ExceptionRecorder;
import onair.testing.TrackingAllocator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Feeds arbitrary bytes, in fuzzer-chosen slices, to the chunk decoder and the message codec behind it, with limits
 * small enough for the fuzzer to reach.
 */
class ChunkDecoderFuzzTest {

    private static final int MAX_SLICE = 2048;
    private static final int MAX_MESSAGE = 16 * 1024;
    private static final int MAX_STREAMS = 8;
    private static final int MAX_CHUNK_SIZE = 64 * 1024;

    @FuzzTest(maxDuration = "60s")
    void anyBytesDecodeOrFailAsAProtocolErrorWithBoundedMemoryAndNoLeaks(FuzzedDataProvider data) {
        TrackingAllocator alloc = new TrackingAllocator();
        ExceptionRecorder exceptions = new ExceptionRecorder();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(new ChunkDecoder(MAX_MESSAGE, MAX_STREAMS, MAX_CHUNK_SIZE), new RtmpMessageCodec(),
            exceptions);
        int fed = 0;
        try {
            while (data.remainingBytes() > 0) {
                byte[] slice = data.consumeBytes(data.consumeInt(1, MAX_SLICE));
                fed += slice.length;
                channel.writeInbound(alloc.wrap(slice));
                for (Object m; (m = channel.readInbound()) != null; ) {
                    ReferenceCountUtil.release(m);
                }
            }
        } finally {
            channel.finishAndReleaseAll();
        }
        assertThat(exceptions.exceptions()).allSatisfy(e -> assertThat(e).isInstanceOf(RtmpProtocolException.class));
        assertThat(alloc.unreleased()).isEmpty();
        assertThat(alloc.largestCapacity()).isLessThanOrEqualTo(MAX_MESSAGE + 2 * fed + 64);
    }
}
