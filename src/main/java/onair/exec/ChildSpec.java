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
 *                       of the stream it feeds, or {@link Long#MIN_VALUE} before the first; null for no watchdog
 */
public record ChildSpec(String app, String name, ExecConfig.Kind kind, Invocation invocation, boolean respawn,
        Duration respawnTimeout, ExecConfig.KillSignal killSignal, LongSupplier lastFrameNanos) {

    public ChildSpec {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(invocation, "invocation");
        Objects.requireNonNull(respawnTimeout, "respawnTimeout");
        Objects.requireNonNull(killSignal, "killSignal");
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
