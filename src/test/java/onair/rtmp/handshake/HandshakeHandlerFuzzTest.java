package onair.rtmp.handshake;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import onair.rtmp.RtmpProtocolException;
import onair.testing.ExceptionRecorder;
import onair.testing.TrackingAllocator;

import static org.assertj.core.api.Assertions.assertThat;

/** Feeds arbitrary bytes, in fuzzer-chosen slices, to the server side of the RTMP handshake. */
class HandshakeHandlerFuzzTest {

    private static final int MAX_SLICE = 4096;

    @FuzzTest(maxDuration = "60s")
    void anyBytesAreConsumedOrRejectedAsAProtocolErrorWithoutLeaks(FuzzedDataProvider data) {
        TrackingAllocator alloc = new TrackingAllocator();
        ExceptionRecorder exceptions = new ExceptionRecorder();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(new HandshakeHandler(), exceptions);
        try {
            while (data.remainingBytes() > 0) {
                byte[] slice = data.consumeBytes(data.consumeInt(1, MAX_SLICE));
                channel.writeInbound(alloc.wrap(slice));
                drain(channel);
            }
        } finally {
            channel.finishAndReleaseAll();
        }
        assertThat(exceptions.exceptions()).allSatisfy(e -> assertThat(e).isInstanceOf(RtmpProtocolException.class));
        assertThat(alloc.unreleased()).isEmpty();
    }

    private static void drain(EmbeddedChannel channel) {
        for (Object m; (m = channel.readOutbound()) != null; ) {
            ReferenceCountUtil.release(m);
        }
        for (Object m; (m = channel.readInbound()) != null; ) {
            ReferenceCountUtil.release(m);
        }
    }
}
