package onair.directory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A key-value store with leases, as a directory back-end needs it (Redis; etcd fits the same calls). Each call
 * completes within the store's timeout, failing when the store is down.
 */
interface LeaseStore extends AutoCloseable {

    /** Takes {@code key} for {@code value} for {@code lease}; true when it is ours (newly, or already). */
    CompletionStage<Boolean> take(String key, String value, Duration lease);

    /** Extends the lease of {@code key} only if it still holds {@code value}; false when it does not. */
    CompletionStage<Boolean> refresh(String key, String value, Duration lease);

    /** Deletes {@code key} only if it still holds {@code value}. */
    CompletionStage<Void> release(String key, String value);

    /** The value of {@code key}, empty when no lease holds it. */
    CompletionStage<Optional<String>> get(String key);

    /** Whether the store answers. */
    boolean up();

    /** The kind of store, as statistics name it: {@code redis}. */
    String backend();

    /** The store's address without credentials. */
    String target();

    /** Runs {@code action} each time the store comes back after being down (and when it first answers). */
    void onUp(Runnable action);

    @Override
    void close();
}
