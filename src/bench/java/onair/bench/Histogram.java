package onair.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A thread-safe histogram of non-negative longs in fixed log-linear buckets (64 per power of two above 128, so a
 * reported percentile is within 1.6 % of the true value), in the manner of HdrHistogram; recording never allocates.
 */
public final class Histogram {

    private static final int LINEAR = 128;
    private static final int SUB_BUCKETS = 64;
    private static final int MAX_SHIFT = 40;
    private static final int BUCKETS = LINEAR + MAX_SHIFT * SUB_BUCKETS;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong max = new AtomicLong(-1);

    public void record(long value) {
        long v = Math.max(0, value);
        counts.incrementAndGet(index(v));
        total.incrementAndGet();
        max.accumulateAndGet(v, Math::max);
    }

    public long count() {
        return total.get();
    }

    /** The largest recorded value, or 0 when empty. */
    public long max() {
        return Math.max(0, max.get());
    }

    /** The value below which {@code percent} % of the recorded values lie (a bucket midpoint), or 0 when empty. */
    public long percentile(double percent) {
        long n = total.get();
        if (n == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percent / 100.0 * n));
        if (rank >= n) {
            return max();
        }
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return Math.min(midpoint(i), max());
            }
        }
        return max();
    }

    static int index(long v) {
        if (v < LINEAR) {
            return (int) v;
        }
        int shift = 63 - Long.numberOfLeadingZeros(v) - 6;
        if (shift > MAX_SHIFT) {
            return BUCKETS - 1;
        }
        return LINEAR + (shift - 1) * SUB_BUCKETS + (int) ((v >>> shift) - SUB_BUCKETS);
    }

    static long midpoint(int index) {
        if (index < LINEAR) {
            return index;
        }
        int shift = (index - LINEAR) / SUB_BUCKETS + 1;
        long mantissa = (index - LINEAR) % SUB_BUCKETS + SUB_BUCKETS;
        return (mantissa << shift) + (1L << (shift - 1));
    }
}
