package onair.stream;

import onair.media.MediaFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One live stream: at most one publisher, any number of subscribers, and the cache a late joiner starts from.
 * Fan-out and subscribe share one lock, so a subscriber gets the cache and then every later frame exactly once.
 * Every frame is restamped here, once for all subscribers, to a timeline that continues across republishing and
 * is repaired to be monotonic per track ({@link TimestampRepair}).
 */
public final class LiveStream {

    private static final Logger log = LoggerFactory.getLogger(LiveStream.class);

    private static final Subscriber[] NONE = {};

    private final StreamKey key;
    private final LiveOptions options;
    private final StreamRegistry registry;
    private final ReentrantLock lock = new ReentrantLock();
    private final StreamCache cache;
    private final TimestampRepair repair = new TimestampRepair();
    private volatile Subscriber[] subscribers = NONE;
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
                for (Subscriber subscriber : subscribers) {
                    subscriber.onPublishStart();
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
                if (live) {
                    cache.replay(subscriber, lastTimestamp);
                }
                Subscriber[] current = subscribers;
                Subscriber[] grown = Arrays.copyOf(current, current.length + 1);
                grown[current.length] = subscriber;
                subscribers = grown;
                return new SubscriptionHandle(subscriber, live);
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
        return subscribers.length;
    }

    /** A snapshot of the current subscribers, for statistics and control. */
    public List<Subscriber> subscribers() {
        return List.of(subscribers);
    }

    /** The client publishing this stream, if it is live and published by a client connection. */
    public Optional<Client> publisher() {
        return Optional.ofNullable(publication == null ? null : publisher);
    }

    /** This stream's statistics now. */
    public StreamStats stats() {
        long dropped = droppedByLeavers;
        for (Subscriber subscriber : subscribers) {
            dropped += subscriber.droppedFrames();
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
                meter.frame(continued, continued.timestamp(), subscribers.length, metadata);
                for (Subscriber subscriber : subscribers) {
                    subscriber.onFrame(continued.retain());
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
            for (Subscriber subscriber : subscribers) {
                subscriber.onPublishStop();
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
            if (subscription.closed) {
                return;
            }
            subscription.closed = true;
            Subscriber[] current = subscribers;
            int at = 0;
            while (current[at] != subscription.subscriber) {
                at++;
            }
            droppedByLeavers += subscription.subscriber.droppedFrames();
            Subscriber[] shrunk = Arrays.copyOf(current, current.length - 1);
            System.arraycopy(current, at + 1, shrunk, at, current.length - at - 1);
            subscribers = shrunk;
            idle = retireIfIdle();
        } finally {
            lock.unlock();
        }
        if (idle) {
            registry.remove(this);
        }
    }

    private boolean retireIfIdle() {
        if (publication == null && subscribers.length == 0) {
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
        private boolean closed;

        SubscriptionHandle(Subscriber subscriber, boolean live) {
            this.subscriber = subscriber;
            this.live = live;
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
