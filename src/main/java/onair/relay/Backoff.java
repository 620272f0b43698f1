package onair.relay;

import java.time.Duration;

/**
 * Exponential reconnect delays: the first is the configured {@code push_reconnect} or {@code pull_reconnect}, each
 * failure in a row doubles it, up to ten times the first or 30 s, whichever is less (never below the first).
 */
final class Backoff {

    private static final long MAX_MILLIS = 30_000;

    private final long baseMillis;
    private final long capMillis;
    private int failures;

    Backoff(Duration base) {
        this.baseMillis = Math.max(1, base.toMillis());
        this.capMillis = Math.max(baseMillis, Math.min(MAX_MILLIS, baseMillis * 10));
    }

    /** The delay before the next attempt, counting one more failure. */
    long next() {
        long delay = baseMillis << Math.min(failures, 20);
        failures++;
        return Math.min(capMillis, delay);
    }

    /** A connection worked: the next failure waits the first delay again. */
    void reset() {
        failures = 0;
    }
}
