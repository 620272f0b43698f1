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
 * @param mergeWindow Onair's own {@code merge_window}: how long a player's frames gather before they are written
 *                    together, {@link Duration#ZERO} to write each as it comes
 */
public record RtmpServerConfig(List<Listen> listens, int chunkSize, Duration timeout, Duration ping,
        Duration pingTimeout, long ackWindow, int maxMessage, int maxStreams, Duration buflen, int maxConnections,
        int maxConnectionsPerAddress, SslConfig ssl, List<ApplicationConfig> applications,
        AccessLogConfig accessLog, AdmissionConfig admission, Duration mergeWindow) {

    static final Settings SETTINGS = new Settings();
    static final Setting<Integer> CHUNK_SIZE = SETTINGS.value("chunk_size", Context.CORE, 4096,
            v -> (int) Units.bounded(Units.size(v), 128, 0xFF_FFFF));
    static final Setting<Duration> TIMEOUT =
            SETTINGS.value("timeout", Context.CORE, Duration.ofSeconds(60), Units::positiveTime);
    static final Setting<Duration> PING = SETTINGS.value("ping", Context.CORE, Duration.ofSeconds(60), Units::time);
    static final Setting<Duration> PING_TIMEOUT =
            SETTINGS.value("ping_timeout", Context.CORE, Duration.ofSeconds(30), Units::positiveTime);
    static final Setting<Long> ACK_WINDOW = SETTINGS.value("ack_window", Context.CORE, 5_000_000L,
            v -> Units.bounded(Units.size(v), 1, 0xFFFF_FFFFL));
    static final Setting<Integer> MAX_MESSAGE = SETTINGS.value("max_message", Context.CORE, 1 << 20,
            v -> (int) Units.bounded(Units.size(v), 1, Integer.MAX_VALUE));
    static final Setting<Integer> MAX_STREAMS = SETTINGS.value("max_streams", Context.CORE, 32,
            v -> (int) Units.bounded(Units.integer(v), 1, Integer.MAX_VALUE));
    /** Also an application's own limit, read by {@link AdmissionConfig#from(Scope)}. */
    static final Setting<Integer> MAX_CONNECTIONS =
            SETTINGS.value("max_connections", Context.APPLICATIONS, 10_000, Units::limit);
    static final Setting<Integer> MAX_CONNECTIONS_PER_ADDRESS =
            SETTINGS.value("max_connections_per_address", Context.CORE, 0, Units::limit);
    static final Setting<Duration> BUFLEN = SETTINGS.value("buflen", Context.CORE, Duration.ofMillis(1000), Units::time);
    static final Setting<Duration> MERGE_WINDOW = SETTINGS.value("merge_window", Context.CORE, Duration.ZERO,
            Units::subsecond);

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
        Objects.requireNonNull(mergeWindow, "mergeWindow");
    }

    /** A server block without access log, server-level callbacks and merge window. */
    public RtmpServerConfig(List<Listen> listens, int chunkSize, Duration timeout, Duration ping,
            Duration pingTimeout, long ackWindow, int maxMessage, int maxStreams, Duration buflen, int maxConnections,
            int maxConnectionsPerAddress, SslConfig ssl, List<ApplicationConfig> applications) {
        this(listens, chunkSize, timeout, ping, pingTimeout, ackWindow, maxMessage, maxStreams, buflen, maxConnections,
            maxConnectionsPerAddress, ssl, applications, AccessLogConfig.OFF, AdmissionConfig.DEFAULT, Duration.ZERO);
    }

    /** The application with exactly this name, as matched against the app of a {@code connect} command. */
    public Optional<ApplicationConfig> application(String name) {
        return applications.stream().filter(app -> app.name().equals(name)).findFirst();
    }

    /** The server block of {@code server}, with what its walk found: listens, TLS, applications and access log. */
    static RtmpServerConfig from(Scope server, List<Listen> listens, SslConfig ssl, List<ApplicationConfig> applications,
            AccessLogConfig accessLog) {
        return new RtmpServerConfig(listens, server.get(CHUNK_SIZE), server.get(TIMEOUT), server.get(PING),
                server.get(PING_TIMEOUT), server.get(ACK_WINDOW), server.get(MAX_MESSAGE), server.get(MAX_STREAMS),
                server.get(BUFLEN), server.get(MAX_CONNECTIONS), server.get(MAX_CONNECTIONS_PER_ADDRESS), ssl,
                applications, accessLog, AdmissionConfig.from(server), server.get(MERGE_WINDOW));
    }
}
