package onair.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code server} block of the {@code rtmp} section: where it listens, its protocol settings and applications.
 *
 * @param maxConnections connections its listens hold at once, 0 for no limit
 * @param maxConnectionsPerAddress connections one remote address holds at once, 0 for no limit
 * @param ssl the TLS settings of its {@code listen ... ssl} addresses; null when it has none
 * @param accessLog the {@code access_log} targets of connections that never reached an application
 * @param admission the server-level notify settings: {@code on_connect}, {@code on_disconnect} and how they are sent
 */
public record RtmpServerConfig(List<Listen> listens, int chunkSize, Duration timeout, Duration ping,
        Duration pingTimeout, long ackWindow, int maxMessage, int maxStreams, Duration buflen, int maxConnections,
        int maxConnectionsPerAddress, SslConfig ssl, List<ApplicationConfig> applications,
        AccessLogConfig accessLog, AdmissionConfig admission) {

    public RtmpServerConfig {
        listens = List.copyOf(listens);
        applications = List.copyOf(applications);
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(ping, "ping");
        Objects.requireNonNull(pingTimeout, "pingTimeout");
        Objects.requireNonNull(buflen, "buflen");
        Objects.requireNonNull(admission, "admission");
        if (ssl == null && listens.stream().anyMatch(Listen::ssl)) {
            throw new IllegalArgumentException("a listen with ssl needs the ssl settings");
        }
        Objects.requireNonNull(accessLog, "accessLog");
    }

    /** A server block without access log and server-level callbacks. */
    public RtmpServerConfig(List<Listen> listens, int chunkSize, Duration timeout, Duration ping,
            Duration pingTimeout, long ackWindow, int maxMessage, int maxStreams, Duration buflen, int maxConnections,
            int maxConnectionsPerAddress, SslConfig ssl, List<ApplicationConfig> applications) {
        this(listens, chunkSize, timeout, ping, pingTimeout, ackWindow, maxMessage, maxStreams, buflen, maxConnections,
            maxConnectionsPerAddress, ssl, applications, AccessLogConfig.OFF, AdmissionConfig.DEFAULT);
    }

    /** The application with exactly this name, as matched against the app of a {@code connect} command. */
    public Optional<ApplicationConfig> application(String name) {
        return applications.stream().filter(app -> app.name().equals(name)).findFirst();
    }
}
