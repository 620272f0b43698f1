package onair.stream;

/**
 * Learns of every publication of a server's streams, so outputs such as HLS can attach as subscribers when a stream
 * goes live.
 */
@FunctionalInterface
public interface StreamObserver {

    /**
     * A publication of {@code stream} started: called once per publication, on the publisher's thread, outside the
     * stream's lock and before the publisher can send its first frame, so a subscriber attached here misses nothing.
     * Must not block.
     */
    void published(LiveStream stream);
}
