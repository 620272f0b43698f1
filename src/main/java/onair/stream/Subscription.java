package onair.stream;

/** A subscriber's attachment to a live stream; closing it detaches the subscriber. */
public interface Subscription extends AutoCloseable {

    /** A publisher was live at subscribe time, so the subscriber got the stream's cache and no {@code onPublishStart}. */
    boolean live();

    /** Unsubscribes; idempotent. */
    @Override
    void close();
}
