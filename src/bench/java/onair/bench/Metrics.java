package onair.bench;

/**
 * The histograms every player of a run records into, in microseconds, and the run's clock origin.
 *
 * @param firstFrame TCP connect start → first coded video keyframe received
 * @param latency    publisher send → player receipt, for messages sent after the player asked to play
 */
record Metrics(long epochNanos, Histogram firstFrame, Histogram latency) {

    Metrics(long epochNanos) {
        this(epochNanos, new Histogram(), new Histogram());
    }
}
