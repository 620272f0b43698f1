package onair.exec;

import onair.config.ExecConfig;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * What an {@link ExecSupervisor} is to run, and how.
 *
 * @param app            the stream's application, "" for {@code exec_static}
 * @param name           the stream's name, "" for {@code exec_static}
 * @param respawn        restart the child when it exits; only managed kinds are ever restarted
 * @param respawnTimeout the first delay before a restart, and the silence the watchdog tolerates
 * @param lastFrameNanos for a child that publishes back to Onair: the {@link System#nanoTime()} of the last frame
 *                       of the stream it feeds, or {@link Long#MIN_VALUE} before the first; null for no watchdog.
 *                       The watchdog restarts a child that restarts at all, once it is silent for
 *                       {@link #watchdogSilence} after {@link ExecLimits#watchdogAllowance}
 */
public record ChildSpec(String app, String name, ExecConfig.Kind kind, Invocation invocation, boolean respawn,
        Duration respawnTimeout, ExecConfig.KillSignal killSignal, LongSupplier lastFrameNanos) {

    private static final Duration MIN_SILENCE = Duration.ofSeconds(1);

    public ChildSpec {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(invocation, "invocation");
        Objects.requireNonNull(respawnTimeout, "respawnTimeout");
        Objects.requireNonNull(killSignal, "killSignal");
    }

    /** The silence the watchdog tolerates: {@code respawn_timeout}, but at least a second. */
    public Duration watchdogSilence() {
        return respawnTimeout.compareTo(MIN_SILENCE) < 0 ? MIN_SILENCE : respawnTimeout;
    }

    /** Whether the child is restarted when it exits by itself. */
    public boolean restarts() {
        return kind.managed() && respawn;
    }

    /** How logs name the child's origin: the directive and the stream, as in {@code exec_push live/cam}. */
    public String origin() {
        return app.isEmpty() && name.isEmpty() ? kind.directive() : kind.directive() + " " + app + "/" + name;
    }
}
