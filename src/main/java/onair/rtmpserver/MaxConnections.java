package onair.rtmpserver;

import onair.config.ApplicationConfig;

import java.util.concurrent.ConcurrentHashMap;

/** Each application's RTMP connections, counted against its {@code max_connections}; one per server process. */
public final class MaxConnections {

    private final ConcurrentHashMap<ApplicationConfig, Integer> connections = new ConcurrentHashMap<>();

    /** Counts one more connection to {@code app}, or returns false when it already holds its max_connections. */
    public boolean enter(ApplicationConfig app) {
        int limit = app.admission().maxConnections();
        if (limit <= 0) {
            return true;
        }
        boolean[] admitted = {false};
        connections.compute(app, (a, count) -> {
            int current = count == null ? 0 : count;
            if (current >= limit) {
                return count;
            }
            admitted[0] = true;
            return current + 1;
        });
        return admitted[0];
    }

    /** Uncounts a connection {@link #enter} admitted. */
    public void leave(ApplicationConfig app) {
        if (app.admission().maxConnections() > 0) {
            connections.computeIfPresent(app, (a, count) -> count <= 1 ? null : count - 1);
        }
    }
}
