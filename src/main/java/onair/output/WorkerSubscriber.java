package onair.output;

import onair.media.MediaFrame;
import onair.stream.FrameQueue;
import onair.stream.QueuedSubscriber;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A subscriber whose frames are handled on a worker (a writer thread) instead of an event loop. Frames wait in its
 * bounded {@link FrameQueue}, which drops and counts what a stalled worker loses; at most one drain is pending on the
 * worker at a time, and it hands the queued frames to {@link #consume} in order.
 */
public abstract class WorkerSubscriber implements QueuedSubscriber {

    private final FrameQueue queue;
    private final Executor worker;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;

    protected WorkerSubscriber(FrameQueue queue, Executor worker) {
        this.queue = queue;
        this.worker = worker;
    }

    @Override
    public final FrameQueue queue() {
        return queue;
    }

    @Override
    public final void onFrame(MediaFrame frame) {
        if (!accepts(frame)) {
            frame.release();
        } else if (queue.offer(frame)) {
            schedule();
        }
    }

    /** Whether {@code frame} is queued at all; a frame refused here is released and not counted as dropped. */
    protected boolean accepts(MediaFrame frame) {
        return true;
    }

    /** Has the worker drain, unless a drain is already pending; nothing is scheduled once the worker refuses tasks. */
    protected final void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                worker.execute(drainTask);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);
            }
        }
    }

    /** Runs on the worker before the queued frames of a drain. */
    protected void beforeDrain() {
    }

    /** Handles one frame on the worker; takes ownership of the frame's reference. */
    protected abstract void consume(MediaFrame frame);

    /** Runs on the worker after the queued frames of a drain. */
    protected void afterDrain() {
    }

    private void drain() {
        scheduled.set(false);
        beforeDrain();
        MediaFrame frame;
        while ((frame = queue.poll()) != null) {
            consume(frame);
        }
        afterDrain();
    }
}
