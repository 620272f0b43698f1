package onair.server;

import onair.config.ApplicationConfig;
import onair.config.ExecConfig;
import onair.config.RtmpServerConfig;
import onair.config.ServerConfig;
import onair.exec.ExecChild;
import onair.exec.ExecListener;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code exec_static} children of a server (nginx-rtmp starts them with its worker): each distinct line of the
 * configuration's applications runs once, from start-up to shutdown, with the settings of the first application
 * that has it. A reload stops the children of lines no longer configured, starts the new lines and starts again a
 * line whose child gave up; the others run on with the settings they started with.
 */
final class StaticChildren {

    private final ExecListener listener;
    private final Map<ExecConfig.Command, List<ExecChild>> running = new LinkedHashMap<>();

    StaticChildren(ExecListener listener) {
        this.listener = listener;
    }

    /** Brings the running children in line with {@code config}'s {@code exec_static} lines. */
    synchronized void apply(ServerConfig config) {
        Map<ExecConfig.Command, ExecConfig> wanted = new LinkedHashMap<>();
        for (RtmpServerConfig server : config.rtmpServers()) {
            for (ApplicationConfig app : server.applications()) {
                app.exec().commands(ExecConfig.Kind.STATIC).forEach(line -> wanted.putIfAbsent(line, app.exec()));
            }
        }
        running.entrySet().removeIf(entry -> {
            boolean gone = !wanted.containsKey(entry.getKey());
            if (gone) {
                entry.getValue().forEach(ExecChild::stop);
            }
            return gone;
        });
        wanted.forEach((line, exec) -> {
            List<ExecChild> children = running.get(line);
            if (children == null || children.stream().noneMatch(child -> child.snapshot().state().live())) {
                running.put(line, listener.startStatic(new ExecConfig(Map.of(ExecConfig.Kind.STATIC, List.of(line)),
                    exec.options(), exec.respawn(), exec.respawnTimeout(), exec.killSignal())));
            }
        });
    }
}
