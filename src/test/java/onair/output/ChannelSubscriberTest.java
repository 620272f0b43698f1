package onair.output;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import onair.media.MediaFrame;
import onair.stream.FrameQueue;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ChannelSubscriberTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final List<MediaFrame> made = new ArrayList<>();

    /** Writes each frame's payload and refuses video. */
    private final class Copier extends ChannelSubscriber {

        Copier() {
            super(channel, new FrameQueue(8, 1 << 20, false, false));
        }

        Copier(ChannelHandlerContext writeFrom, Duration mergeWindow) {
            super(writeFrom, new FrameQueue(8, 1 << 20, false, false), mergeWindow);
        }

        @Override
        public void onPublishStart() {
        }

        @Override
        public void onPublishStop() {
        }

        @Override
        protected boolean accepts(MediaFrame frame) {
            return !frame.isVideo();
        }

        @Override
        protected Object encode(MediaFrame frame) {
            try {
                return frame.payload().retainedDuplicate();
            } finally {
                frame.release();
            }
        }
    }

    @Test
    void queuedFramesAreWrittenInOrderOnTheEventLoop() {
        Copier subscriber = new Copier();
        subscriber.onFrame(audio(1));
        subscriber.onFrame(audio(2));
        subscriber.onFrame(audio(3));
        assertThat(channel.outboundMessages()).isEmpty();
        assertThat(subscriber.queuedFrames()).isEqualTo(3);

        channel.runPendingTasks();

        assertThat(written()).containsExactly(1, 2, 3);
        assertThat(subscriber.queuedFrames()).isZero();
        assertThat(subscriber.blockedNanos(System.nanoTime())).isZero();
        assertAllReleased();
    }

    @Test
    void writingStopsWhileTheChannelIsNotWritableAndTheWaitCountsAsBlocked() {
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1, 2));
        Copier subscriber = new Copier();
        subscriber.onFrame(audio(1));
        subscriber.onFrame(audio(2));
        subscriber.onFrame(audio(3));

        channel.runPendingTasks();
        assertThat(written()).containsExactly(1);
        assertThat(subscriber.queuedFrames()).isEqualTo(2);
        assertThat(subscriber.blockedNanos(System.nanoTime() + 1)).isPositive();

        subscriber.drain();
        assertThat(written()).containsExactly(2);
        assertThat(subscriber.blockedNanos(System.nanoTime() + 1)).isPositive();

        subscriber.drain();
        assertThat(written()).containsExactly(3);
        assertThat(subscriber.blockedNanos(System.nanoTime())).isZero();
        assertThat(subscriber.droppedFrames()).isZero();
        assertAllReleased();
    }

    @Test
    void withAMergeWindowFramesAfterTheFirstWriteGatherForTheWindowAndGoOutWithOneFlush() {
        AtomicInteger flushes = new AtomicInteger();
        ChannelOutboundHandlerAdapter counter = new ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(ChannelHandlerContext ctx) {
                flushes.incrementAndGet();
                ctx.flush();
            }
        };
        channel.pipeline().addLast(counter);
        Copier subscriber = new Copier(channel.pipeline().context(counter), Duration.ofMillis(40));
        subscriber.onFrame(audio(1));
        channel.runPendingTasks();
        assertThat(written()).containsExactly(1);
        assertThat(flushes).hasValue(1);

        subscriber.onFrame(audio(2));
        subscriber.onFrame(audio(3));
        channel.runPendingTasks();
        channel.advanceTimeBy(39, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(written()).isEmpty();
        assertThat(subscriber.queuedFrames()).isEqualTo(2);

        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(written()).containsExactly(2, 3);
        assertThat(flushes).hasValue(2);
        assertAllReleased();
    }

    @Test
    void refusedFramesAreReleasedWithoutCountingAsDropped() {
        Copier subscriber = new Copier();
        subscriber.onFrame(video(1));
        channel.runPendingTasks();
        assertThat(channel.outboundMessages()).isEmpty();
        assertThat(subscriber.droppedFrames()).isZero();
        assertAllReleased();
    }

    @Test
    void closeReleasesTheQueuedFramesAndEveryLaterOne() {
        Copier subscriber = new Copier();
        subscriber.onFrame(audio(1));
        subscriber.close();
        subscriber.onFrame(audio(2));
        channel.runPendingTasks();
        assertThat(channel.outboundMessages()).isEmpty();
        assertThat(subscriber.queuedFrames()).isZero();
        assertAllReleased();
    }

    private MediaFrame audio(int number) {
        return frame(MediaFrame.Kind.AUDIO, 0xAF, number);
    }

    private MediaFrame video(int number) {
        return frame(MediaFrame.Kind.VIDEO, 0x27, number);
    }

    /** A 100-byte raw frame whose third byte is {@code number}. */
    private MediaFrame frame(MediaFrame.Kind kind, int first, int number) {
        MediaFrame frame = MediaFrame.of(kind, number * 20,
            Unpooled.buffer(100).writeByte(first).writeByte(1).writeByte(number).writeZero(97));
        made.add(frame);
        return frame;
    }

    /** The numbers of the frames written since the last call. */
    private List<Integer> written() {
        List<Integer> numbers = new ArrayList<>();
        for (ByteBuf buf; (buf = channel.readOutbound()) != null; ) {
            numbers.add((int) buf.getByte(2));
            buf.release();
        }
        return numbers;
    }

    private void assertAllReleased() {
        assertThat(channel.finishAndReleaseAll()).isFalse();
        assertThat(made).allSatisfy(frame -> assertThat(frame.refCnt()).as("refCnt of %s", frame).isZero());
    }
}
