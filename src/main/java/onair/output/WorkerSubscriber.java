package onair.output;

import onair.media.MediaFrame;
import onair.stream.FrameQueue;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A subscriber whose frames are handled on a worker (a writer thread) instead of an event loop. Frames wait in its
 * bounded {@link FrameQueue}, which drops and counts what a stalled worker loses; at most one drain is pending on the
 * worker at a time, and it hands the queued frames to {@link #consume} in order.
 */
public abstract class WorkerSubscriber extends QueuedOutput {

    private final Executor worker;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;

    protected WorkerSubscriber(FrameQueue queue, Executor worker) {
        super(queue);
        this.worker = worker;
    }

    /** Has the worker drain, unless a drain is already pending; nothing is scheduled once the worker refuses tasks. */
    @Override
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
        while ((frame = queue().poll()) != null) {
            consume(frame);
        }
        afterDrain();
    }
}
