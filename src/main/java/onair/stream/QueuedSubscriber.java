package onair.stream;

/**
 * A subscriber that takes frames into its own bounded {@link FrameQueue} and sends them from elsewhere (a socket's event
 * loop, a writer thread): its queue answers the drop and backlog counts.
 */
public interface QueuedSubscriber extends Subscriber {

    /** The queue this subscriber's frames wait in. */
    FrameQueue queue();

    @Override
    default long droppedFrames() {
        return queue().droppedFrames();
    }

    @Override
    default int queuedFrames() {
        return queue().size();
    }

    @Override
    default long queuedBytes() {
        return queue().bytes();
    }
}
