package onair.relay;

/**
 * The state of one configured relay of a stream, for statistics: its direction ({@code push} or {@code pull}), the
 * URL without its stream part, where it is ({@code connecting}, {@code live}, {@code backing off}, {@code stopped}),
 * why its last connection ended, and its counters over every connection it made.
 *
 * @param bytes         bytes sent to the remote (push) or received from it (pull)
 * @param droppedFrames frames a push skipped because the remote was slow
 * @param reconnects    connections made after the first
 */
public record RelaySnapshot(String direction, String url, String state, String lastError, long bytes,
        long droppedFrames, long reconnects) {
}
