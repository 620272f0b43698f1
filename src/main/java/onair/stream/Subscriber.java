package onair.stream;

import onair.media.MediaFrame;

/**
 * A consumer of one live stream. Callbacks arrive on the publisher's thread (or the subscribing thread for the
 * catch-up at subscribe time) and must never block.
 */
public interface Subscriber {

    /** Takes ownership of one reference to {@code frame}. */
    void onFrame(MediaFrame frame);

    /** A publisher started; not called at subscribe time for a stream already live (see {@link Subscription#live()}). */
    void onPublishStart();

    /** The publisher left. */
    void onPublishStop();

    /**
     * Whether this subscriber takes every track of an Enhanced RTMP v2 multitrack publish, asked once when it
     * subscribes; one that does not (the default) sees only track 0, as a plain stream.
     */
    default boolean multitrack() {
        return false;
    }

    /** The client connection this subscriber sends to, or null for an internal consumer (a muxer, a recorder). */
    default Client client() {
        return null;
    }

    /** Frames this subscriber skipped because it fell behind. */
    default long droppedFrames() {
        return 0;
    }

    /** Frames waiting for this subscriber right now. */
    default int queuedFrames() {
        return 0;
    }

    /** Payload bytes of the frames waiting for this subscriber right now. */
    default long queuedBytes() {
        return 0;
    }
}
