package onair.stream;

import onair.media.MediaFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One live stream: at most one publisher, any number of subscribers, and the cache a late joiner starts from.
 * Fan-out and subscribe share one lock, so a subscriber gets the cache and then every later frame exactly once.
 * Every frame is restamped here, once for all subscribers, to a timeline that continues across republishing and
 * is repaired to be monotonic per track ({@link TimestampRepair}). A subscriber that throws from a callback is
 * unsubscribed and logged once, and the publisher and the other subscribers go on; the frame reference it was handed
 * stays its own, thrown or not.
 */
public final class LiveStream {

    private static final Logger log = LoggerFactory.getLogger(LiveStream.class);

    private static final SubscriptionHandle[] NONE = {};

    private final StreamKey key;
    private final LiveOptions options;
    private final StreamRegistry registry;
    private final ReentrantLock lock = new ReentrantLock();
    private final StreamCache cache;
    private final TimestampRepair repair = new TimestampRepair();
    private volatile SubscriptionHandle[] subscriptions = NONE;
    private final Set<Client> viewers = ConcurrentHashMap.newKeySet();
    private volatile PublicationHandle publication;
    private volatile Client publisher;
    private final StreamMeter meter = new StreamMeter();
    private volatile boolean retired;
    private volatile long framesIn;
    private volatile long bytesIn;
    private volatile long timestampRepairs;
    private volatile long droppedByLeavers;
    private boolean delivered;
    private volatile int lastTimestamp;
    private boolean firstOfPublication;

    LiveStream(StreamKey key, LiveOptions options, StreamRegistry registry) {
        this.key = key;
        this.options = options;
        this.registry = registry;
        this.cache = new StreamCache(options);
    }

    public StreamKey key() {
        return key;
    }

    /** Starts a publication by no client connection (a test or an internal source); see {@link #publish(Client)}. */
    public Publication publish() {
        return publish(null);
    }

    /**
     * Starts a publication by {@code client} (null for none), or returns null if a publisher is already live. The
     * registry's {@link StreamObserver}s are told on this thread before it returns.
     */
    public Publication publish(Client client) {
        PublicationHandle started;
        lock.lock();
        try {
            if (retired) {
                started = null;
            } else {
                if (publication != null) {
                    return null;
                }
                started = new PublicationHandle();
                publication = started;
                publisher = client;
                firstOfPublication = true;
                for (SubscriptionHandle subscription : subscriptions) {
                    try {
                        subscription.subscriber.onPublishStart();
                    } catch (RuntimeException e) {
                        failed(subscription, "publish start", e);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        if (started == null) {
            return registry.stream(key, options).publish(client);
        }
        registry.published(this);
        return started;
    }

    /** Attaches {@code subscriber}; if a publisher is live, it first gets the cache on the calling thread. */
    public Subscription subscribe(Subscriber subscriber) {
        lock.lock();
        try {
            if (!retired) {
                boolean live = publication != null;
                boolean multitrack = subscriber.multitrack();
                if (live) {
                    cache.replay(subscriber, multitrack, lastTimestamp);
                }
                SubscriptionHandle subscription = new SubscriptionHandle(subscriber, live, multitrack);
                SubscriptionHandle[] current = subscriptions;
                SubscriptionHandle[] grown = Arrays.copyOf(current, current.length + 1);
                grown[current.length] = subscription;
                subscriptions = grown;
                return subscription;
            }
        } finally {
            lock.unlock();
        }
        return registry.stream(key, options).subscribe(subscriber);
    }

    public boolean isLive() {
        return publication != null;
    }

    public int subscriberCount() {
        return subscriptions.length;
    }

    /** A snapshot of the current subscribers, for statistics and control. */
    public List<Subscriber> subscribers() {
        return Arrays.stream(subscriptions).map(subscription -> subscription.subscriber).toList();
    }

    /**
     * Counts {@code viewer} as watching this stream without being a subscriber: an HLS session, which fetches the
     * files the HLS output writes. Such viewers do not keep the stream alive.
     */
    public void watch(Client viewer) {
        viewers.add(viewer);
    }

    /** Stops counting {@code viewer} (see {@link #watch}). */
    public void unwatch(Client viewer) {
        viewers.remove(viewer);
    }

    /** A snapshot of the clients {@link #watch watching} this stream without subscribing, in connection order. */
    public List<Client> viewers() {
        return viewers.stream().sorted(Comparator.comparingLong(Client::id)).toList();
    }

    /** The client publishing this stream, if it is live and published by a client connection. */
    public Optional<Client> publisher() {
        return Optional.ofNullable(publication == null ? null : publisher);
    }

    /** This stream's statistics now. */
    public StreamStats stats() {
        long dropped = droppedByLeavers;
        for (SubscriptionHandle subscription : subscriptions) {
            dropped += subscription.subscriber.droppedFrames();
        }
        return meter.snapshot(isLive(), framesIn, timestampRepairs, dropped, lastTimestamp);
    }

    public long framesIn() {
        return framesIn;
    }

    public long bytesIn() {
        return bytesIn;
    }

    /** Frames whose timestamp was repaired because the publisher's went back, jumped or drifted apart. */
    public long timestampRepairs() {
        return timestampRepairs;
    }

    boolean retired() {
        return retired;
    }

    /** Retires this stream if it has neither publisher nor subscribers; true if it is retired. */
    boolean retireWhenIdle() {
        lock.lock();
        try {
            return retireIfIdle();
        } finally {
            lock.unlock();
        }
    }

    private void deliver(PublicationHandle from, MediaFrame frame, boolean metadata) {
        lock.lock();
        try {
            if (publication != from) {
                frame.release();
                return;
            }
            framesIn++;
            bytesIn += frame.size();
            MediaFrame continued = continueTimeline(frame);
            try {
                if (metadata) {
                    cache.metadata(continued);
                } else {
                    cache.update(continued);
                }
                lastTimestamp = continued.timestamp();
                delivered = true;
                meter.frame(continued, continued.timestamp(), subscriptions.length, metadata);
                boolean primary = continued.track() == 0;
                for (SubscriptionHandle subscription : subscriptions) {
                    if (!primary && !subscription.multitrack) {
                        continue;
                    }
                    try {
                        subscription.subscriber.onFrame(continued.retain());
                    } catch (RuntimeException e) {
                        failed(subscription, "a frame", e);
                    }
                }
            } finally {
                continued.release();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Restamps {@code frame} to the subscribers' timeline: a publication that starts behind the previous one is
     * shifted so that timestamps never go back, and each track is repaired to stay monotonic.
     */
    private MediaFrame continueTimeline(MediaFrame frame) {
        if (firstOfPublication) {
            firstOfPublication = false;
            boolean behind = delivered && Integer.compareUnsigned(frame.timestamp(), lastTimestamp) < 0;
            repair.start(behind ? lastTimestamp + 1 - frame.timestamp() : 0);
        }
        long repairsBefore = repair.repairs();
        int timestamp = repair.restamp(frame);
        if (repair.repairs() != repairsBefore) {
            timestampRepairs++;
            if (repairsBefore == 0) {
                log.warn("{}: publisher timestamps repaired ({}); further repairs are counted, not logged",
                    key, repair.firstRepair());
            }
        }
        if (timestamp == frame.timestamp()) {
            return frame;
        }
        MediaFrame shifted = frame.withTimestamp(timestamp);
        frame.release();
        return shifted;
    }

    private void unpublish(PublicationHandle from) {
        boolean idle;
        lock.lock();
        try {
            if (publication != from) {
                return;
            }
            publication = null;
            publisher = null;
            cache.clear();
            for (SubscriptionHandle subscription : subscriptions) {
                try {
                    subscription.subscriber.onPublishStop();
                } catch (RuntimeException e) {
                    failed(subscription, "publish stop", e);
                }
            }
            idle = retireIfIdle();
        } finally {
            lock.unlock();
        }
        if (idle) {
            registry.remove(this);
        }
    }

    private void unsubscribe(SubscriptionHandle subscription) {
        boolean idle;
        lock.lock();
        try {
            if (!detach(subscription)) {
                return;
            }
            idle = retireIfIdle();
        } finally {
            lock.unlock();
        }
        if (idle) {
            registry.remove(this);
        }
    }

    /** Takes {@code subscription} out of the fan-out, under the lock; false if it already was. */
    private boolean detach(SubscriptionHandle subscription) {
        if (subscription.closed) {
            return false;
        }
        subscription.closed = true;
        SubscriptionHandle[] current = subscriptions;
        int at = 0;
        while (current[at] != subscription) {
            at++;
        }
        droppedByLeavers += subscription.subscriber.droppedFrames();
        SubscriptionHandle[] shrunk = Arrays.copyOf(current, current.length - 1);
        System.arraycopy(current, at + 1, shrunk, at, current.length - at - 1);
        subscriptions = shrunk;
        return true;
    }

    /**
     * Unsubscribes a subscriber whose callback threw, under the lock; the stream keeps its publisher, so it stays.
     * Its owner's later {@link Subscription#close()} does nothing.
     */
    private void failed(SubscriptionHandle subscription, String callback, RuntimeException e) {
        if (detach(subscription)) {
            log.error("{}: subscriber {} failed on {} and was unsubscribed: {}", key, subscription.subscriber,
                callback, e.toString());
        }
    }

    private boolean retireIfIdle() {
        if (publication == null && subscriptions.length == 0) {
            retired = true;
        }
        return retired;
    }

    @Override
    public String toString() {
        return "LiveStream[" + key + (isLive() ? ", live" : "") + ", " + subscriberCount() + " subscribers]";
    }

    private final class PublicationHandle implements Publication {

        @Override
        public void send(MediaFrame frame) {
            deliver(this, frame, false);
        }

        @Override
        public void sendMetadata(MediaFrame frame) {
            if (!frame.isData()) {
                frame.release();
                throw new IllegalArgumentException("metadata must be a DATA frame: " + frame);
            }
            deliver(this, frame, true);
        }

        @Override
        public void close() {
            unpublish(this);
        }
    }

    private final class SubscriptionHandle implements Subscription {

        private final Subscriber subscriber;
        private final boolean live;
        private final boolean multitrack;
        private boolean closed;

        SubscriptionHandle(Subscriber subscriber, boolean live, boolean multitrack) {
            this.subscriber = subscriber;
            this.live = live;
            this.multitrack = multitrack;
        }

        @Override
        public boolean live() {
            return live;
        }

        @Override
        public void close() {
            unsubscribe(this);
        }
    }
}
