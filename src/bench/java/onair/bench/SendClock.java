package onair.bench;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When a publisher of this process sent each RTMP timestamp of its stream, so that a player of the same process can
 * tell how long the server held a message. Keeps the last 65.5 s of stream time, in microseconds since {@code epoch}.
 */
public final class SendClock {

    private static final int SLOTS = 1 << 16;
    private static final int MASK = SLOTS - 1;

    private final long epochNanos;
    private final AtomicLongArray slots = new AtomicLongArray(SLOTS);

    public SendClock(long epochNanos) {
        this.epochNanos = epochNanos;
        for (int i = 0; i < SLOTS; i++) {
            slots.set(i, -1);
        }
    }

    public void record(int timestamp, long sentNanos) {
        long micros = (sentNanos - epochNanos) / 1000;
        slots.lazySet(timestamp & MASK, (long) timestamp << 32 | (micros & 0xFFFFFFFFL));
    }

    /** The {@link System#nanoTime} at which {@code timestamp} was sent, or {@link Long#MIN_VALUE} if unknown. */
    public long sentNanos(int timestamp) {
        long slot = slots.get(timestamp & MASK);
        if (slot == -1 || (int) (slot >>> 32) != timestamp) {
            return Long.MIN_VALUE;
        }
        return epochNanos + (slot & 0xFFFFFFFFL) * 1000;
    }
}
