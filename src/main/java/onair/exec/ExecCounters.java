package onair.exec;

import java.util.Map;

/**
 * The counters of an {@link ExecSupervisor} for metrics ({@code onair_exec_running}, restarts, exits by code).
 *
 * @param running      children whose process is alive
 * @param restarts     restarts since start-up, the watchdog's included
 * @param failedStarts processes that could not be started at all
 * @param exitsByCode  exits since start-up by exit code (128 + the signal number for a signal)
 */
public record ExecCounters(int running, long restarts, long failedStarts, Map<Integer, Long> exitsByCode) {

    public ExecCounters {
        exitsByCode = Map.copyOf(exitsByCode);
    }
}
