package onair.stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The live streams of a server by key. A stream left with no publisher and no subscribers is retired and removed;
 * publishing or subscribing through a retired instance lands on the key's current stream instead.
 */
public final class StreamRegistry {

    private static final Logger log = LoggerFactory.getLogger(StreamRegistry.class);

    private final ConcurrentHashMap<StreamKey, LiveStream> streams = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<StreamObserver> observers = new CopyOnWriteArrayList<>();

    /** Has {@code observer} told of every later publication until the returned handle is closed. */
    public AutoCloseable observe(StreamObserver observer) {
        observers.add(observer);
        return () -> observers.remove(observer);
    }

    /** The stream for {@code key}, created with {@code options} if there is none. */
    public LiveStream stream(StreamKey key, LiveOptions options) {
        LiveStream found = streams.get(key);
        if (found != null && !found.retired()) {
            return found;
        }
        return streams.compute(key, (k, old) -> old == null || old.retired() ? new LiveStream(k, options, this) : old);
    }

    public Optional<LiveStream> find(StreamKey key) {
        return Optional.ofNullable(streams.get(key)).filter(stream -> !stream.retired());
    }

    public Collection<LiveStream> streams() {
        return streams.values().stream().filter(stream -> !stream.retired()).toList();
    }

    /** Removes streams that were looked up but never published nor subscribed to. */
    public void removeIdle() {
        for (LiveStream stream : streams.values()) {
            if (stream.retireWhenIdle()) {
                remove(stream);
            }
        }
    }

    /** Tells every observer; one that throws is logged and does not keep the others or the publisher from going on. */
    void published(LiveStream stream) {
        for (StreamObserver observer : observers) {
            try {
                observer.published(stream);
            } catch (RuntimeException e) {
                log.error("{}: {} failed on publish: {}", stream.key(), observer, e.toString());
            }
        }
    }

    void remove(LiveStream stream) {
        streams.remove(stream.key(), stream);
    }
}
