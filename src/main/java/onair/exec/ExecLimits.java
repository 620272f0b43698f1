package onair.exec;

import java.time.Duration;

/**
 * How an {@link ExecSupervisor} bounds its children.
 *
 * @param maxChildren       children that may exist at once on the server; a start beyond it is refused and logged
 * @param killGrace         how long a stopped child has to exit after its kill signal before it gets KILL
 * @param backoffCap        the longest delay between restarts: the delay starts at {@code respawn_timeout} and
 *                          doubles with each quick exit in a row
 * @param quickExit         a child that exits sooner than this after starting has failed at once
 * @param quickExitLimit    after this many quick exits in a row a child is given up, with one log line
 * @param watchdogAllowance how long a watched child may take to send its first frame before its silence counts
 * @param maxLine           bytes of one output line that reach the log; the rest of the line is left out
 */
public record ExecLimits(int maxChildren, Duration killGrace, Duration backoffCap, Duration quickExit,
        int quickExitLimit, Duration watchdogAllowance, int maxLine) {

    public ExecLimits {
        if (maxChildren < 1 || quickExitLimit < 1 || maxLine < 1) {
            throw new IllegalArgumentException("maxChildren, quickExitLimit and maxLine must be positive");
        }
    }

    /** Grace 5 s, restarts every 5 s at first and at most a minute apart, given up after 5 exits within 10 s. */
    public static ExecLimits defaults(int maxChildren) {
        return new ExecLimits(maxChildren, Duration.ofSeconds(5), Duration.ofMinutes(1), Duration.ofSeconds(10), 5,
            Duration.ofSeconds(10), 2000);
    }
}
