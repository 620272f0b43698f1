package onair.output;

import io.netty.buffer.Unpooled;
import onair.media.MediaFrame;
import onair.stream.FrameQueue;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import static org.assertj.core.api.Assertions.assertThat;

class WorkerSubscriberTest {

    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final List<String> events = new ArrayList<>();
    private final List<MediaFrame> made = new ArrayList<>();
    private boolean refusing;

    private final Executor worker = task -> {
        if (refusing) {
            throw new RejectedExecutionException("shut down");
        }
        tasks.add(task);
    };

    /** Records the hooks and the timestamps of the frames it consumes; refuses video. */
    private final class Writer extends WorkerSubscriber {

        Writer() {
            super(new FrameQueue(8, 1 << 20, false, false), worker);
        }

        void wake() {
            schedule();
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
        protected void beforeDrain() {
            events.add("before");
        }

        @Override
        protected void consume(MediaFrame frame) {
            events.add("frame " + frame.timestamp());
            frame.release();
        }

        @Override
        protected void afterDrain() {
            events.add("after");
        }
    }

    @Test
    void oneDrainAtATimeConsumesTheQueuedFramesInOrder() {
        Writer writer = new Writer();
        writer.onFrame(audio(20));
        writer.onFrame(audio(40));
        writer.wake();
        assertThat(tasks).hasSize(1);
        assertThat(writer.queuedFrames()).isEqualTo(2);

        tasks.poll().run();

        assertThat(events).containsExactly("before", "frame 20", "frame 40", "after");
        assertThat(writer.queuedFrames()).isZero();
        writer.onFrame(audio(60));
        assertThat(tasks).as("the next frame schedules the next drain").hasSize(1);
        tasks.poll().run();
        assertThat(events).endsWith("before", "frame 60", "after");
        assertAllReleased();
    }

    @Test
    void aDrainTheWorkerRefusedCanBeScheduledAgain() {
        Writer writer = new Writer();
        refusing = true;
        writer.onFrame(audio(20));
        assertThat(tasks).isEmpty();

        refusing = false;
        writer.wake();
        assertThat(tasks).hasSize(1);
        tasks.poll().run();
        assertThat(events).containsExactly("before", "frame 20", "after");
        assertAllReleased();
    }

    @Test
    void refusedFramesAreReleasedWithoutCountingAsDropped() {
        Writer writer = new Writer();
        writer.onFrame(frame(MediaFrame.Kind.VIDEO, 0x27, 20));
        assertThat(tasks).isEmpty();
        assertThat(writer.droppedFrames()).isZero();
        assertAllReleased();
    }

    private MediaFrame audio(int timestamp) {
        return frame(MediaFrame.Kind.AUDIO, 0xAF, timestamp);
    }

    private MediaFrame frame(MediaFrame.Kind kind, int first, int timestamp) {
        MediaFrame frame = MediaFrame.of(kind, timestamp,
            Unpooled.buffer(8).writeByte(first).writeByte(1).writeZero(6));
        made.add(frame);
        return frame;
    }

    private void assertAllReleased() {
        assertThat(made).allSatisfy(frame -> assertThat(frame.refCnt()).as("refCnt of %s", frame).isZero());
    }
}
