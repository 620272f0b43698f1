package onair.output;

import onair.media.MediaFrame;
import onair.stream.FrameQueue;
import onair.stream.QueuedSubscriber;

/**
 * What the output bases share: frames arrive on the publisher's thread, wait in a bounded {@link FrameQueue} that
 * drops and counts what a slow output loses, and a drain is scheduled wherever the output sends from.
 */
abstract class QueuedOutput implements QueuedSubscriber {

    private final FrameQueue queue;

    QueuedOutput(FrameQueue queue) {
        this.queue = queue;
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

    /** Has the queued frames drained where this output sends from. */
    abstract void schedule();
}
