package onair.stream;

/**
 * Bytes (or frames) per second over a sliding window of whole seconds, cheap enough for every frame: one add, and once a second
 * a roll of the per-second buckets. One thread adds (or several under a common lock); any thread reads.
 */
public final class Bandwidth {

    /** Seconds the rate is averaged over. */
    public static final int WINDOW_SECONDS = 5;

    private final long[] buckets = new long[WINDOW_SECONDS];
    private long second = Long.MIN_VALUE;
    private long current;
    private volatile long total;
    private volatile long windowSum;
    private volatile long rateSecond;

    /** Counts {@code bytes} at {@code nanos} ({@link System#nanoTime()}). */
    public void add(long bytes, long nanos) {
        roll(nanos / 1_000_000_000L);
        current += bytes;
        total += bytes;
    }

    private void roll(long now) {
        if (now == second) {
            return;
        }
        if (second != Long.MIN_VALUE) {
            long gap = now - second;
            for (long s = 1; s <= Math.min(gap, WINDOW_SECONDS); s++) {
                buckets[(int) Math.floorMod(second + s - 1, (long) WINDOW_SECONDS)] = s == 1 ? current : 0;
            }
            long sum = 0;
            for (long bucket : buckets) {
                sum += bucket;
            }
            windowSum = sum;
            rateSecond = now;
        }
        second = now;
        current = 0;
    }

    /** Bytes counted so far. */
    public long total() {
        return total;
    }

    /** Bytes (or whatever is counted) per second over the last complete window; 0 after a window of nothing. */
    public double perSecond(long nanos) {
        long now = nanos / 1_000_000_000L;
        return now - rateSecond > WINDOW_SECONDS ? 0 : windowSum / (double) WINDOW_SECONDS;
    }

    public long bytesPerSecond(long nanos) {
        return (long) perSecond(nanos);
    }

    /** Bits per second, as nginx-rtmp's {@code bw_*} elements give them. */
    public long bitsPerSecond(long nanos) {
        return bytesPerSecond(nanos) * 8;
    }
}
