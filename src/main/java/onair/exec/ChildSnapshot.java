package onair.exec;

import onair.config.ExecConfig;

import java.time.Instant;
import java.util.Locale;

/**
 * One child of an {@link ExecSupervisor} as statistics show it.
 *
 * @param id           unique within the supervisor
 * @param command      the evaluated command line
 * @param pid          the running (or last) process's id, 0 before it first started
 * @param restarts     how many times the child was started again after exiting
 * @param lastExitCode the last exit code, 128 + the signal number for a child a signal ended; null before an exit
 * @param startedAt    when the current (or last) process started; null before it first started
 */
public record ChildSnapshot(long id, String app, String name, ExecConfig.Kind kind, String command, long pid,
        State state, int restarts, Integer lastExitCode, Instant startedAt) {

    /** Where a child is in its life. */
    public enum State {
        /** Accepted, its process not yet started. */
        STARTING,
        RUNNING,
        /** Sent its kill signal, waiting for it to exit. */
        STOPPING,
        /** Exited, waiting for its restart delay. */
        BACKING_OFF,
        /** Could not be started, or exited at once too many times in a row: not restarted any more. */
        GIVEN_UP,
        /** Exited and not to be restarted. */
        EXITED;

        /** The state as stat JSON and the web page name it: {@code running}, {@code backing_off}, … */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether the child may still have or get a process. */
        public boolean live() {
            return this != GIVEN_UP && this != EXITED;
        }
    }
}
