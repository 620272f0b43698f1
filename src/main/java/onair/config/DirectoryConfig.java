package onair.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Onair's scale-out directory ({@code rtmp {}} only): where an origin registers the streams published to it, and
 * where an edge looks up the origin that holds a stream.
 *
 * @param backend   where the directory lives; {@link Backend#OFF} without a {@code directory} directive
 * @param redis     the Redis server of {@link Backend#REDIS}; null otherwise
 * @param origins   the origins of {@link Backend#STATIC}, in the order an edge tries them; empty otherwise
 * @param advertise {@code directory_advertise}: the {@code rtmp://host:port} this origin registers its streams under;
 *                  null for the first RTMP listen address
 * @param registers false with {@code directory_advertise off}: an edge that only looks streams up
 */
public record DirectoryConfig(Backend backend, Redis redis, List<URI> origins, URI advertise, boolean registers) {

    public static final DirectoryConfig OFF = new DirectoryConfig(Backend.OFF, null, List.of(), null, false);

    public static final String DEFAULT_PREFIX = "onair:";
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(10);
    static final Duration MIN_LEASE = Duration.ofSeconds(1);

    static final Settings SETTINGS = new Settings();
    static final Setting<DirectoryConfig> DIRECTORY = SETTINGS.arguments("directory", Context.RTMP_BLOCK, OFF, 1,
        Integer.MAX_VALUE, Setting.checked(d -> parse(d.args())));
    static final Setting<Optional<URI>> ADVERTISE = SETTINGS.value("directory_advertise", Context.RTMP_BLOCK, null,
        text -> text.equals("off") ? Optional.empty() : Optional.of(origin(text)));

    /** The kinds of directory. */
    public enum Backend { OFF, REDIS, STATIC }

    /**
     * A Redis server from a {@code redis://[[user]:password@]host[:port][/db]} URL, with the key prefix and the lease
     * of each registration ({@code prefix=}, {@code lease=}).
     *
     * @param user     the ACL user of {@code AUTH}; null for the default user
     * @param password null without {@code AUTH}
     */
    public record Redis(String host, int port, int database, String user, String password, String prefix,
            Duration lease) {

        public Redis {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(prefix, "prefix");
            Objects.requireNonNull(lease, "lease");
        }

        /** The server without its password, for logs and statistics. */
        @Override
        public String toString() {
            String host = this.host.contains(":") ? "[" + this.host + "]" : this.host;
            return "redis://" + host + ":" + port + "/" + database;
        }
    }

    public DirectoryConfig {
        Objects.requireNonNull(backend, "backend");
        origins = List.copyOf(origins);
        if ((backend == Backend.REDIS) != (redis != null)) {
            throw new IllegalArgumentException("a Redis directory needs its server, and only it");
        }
    }

    /** Whether a {@code directory} is configured. */
    public boolean active() {
        return backend != Backend.OFF;
    }

    static DirectoryConfig from(Scope rtmp) {
        DirectoryConfig directory = rtmp.get(DIRECTORY);
        Optional<URI> advertise = rtmp.get(ADVERTISE);
        if (advertise != null && !directory.active()) {
            throw ConfigException.at(rtmp.where(ADVERTISE).orElseThrow(),
                "\"directory_advertise\" needs a \"directory\"");
        }
        if (advertise == null) {
            return directory;
        }
        return new DirectoryConfig(directory.backend, directory.redis, directory.origins, advertise.orElse(null),
            advertise.isPresent() && directory.backend == Backend.REDIS);
    }

    private static DirectoryConfig parse(List<String> args) {
        String first = args.getFirst();
        if (first.equals("static")) {
            if (args.size() < 2) {
                throw new IllegalArgumentException("\"static\" needs at least one origin URL");
            }
            return new DirectoryConfig(Backend.STATIC, null,
                args.subList(1, args.size()).stream().map(DirectoryConfig::origin).toList(), null, false);
        }
        String prefix = DEFAULT_PREFIX;
        Duration lease = DEFAULT_LEASE;
        for (String option : args.subList(1, args.size())) {
            if (option.startsWith("prefix=")) {
                prefix = option.substring("prefix=".length());
            } else if (option.startsWith("lease=")) {
                lease = Units.time(option.substring("lease=".length()));
                if (lease.compareTo(MIN_LEASE) < 0) {
                    throw new IllegalArgumentException("the lease must be at least 1s");
                }
            } else {
                throw new IllegalArgumentException("unknown option \"" + option + "\": use prefix= or lease=");
            }
        }
        return new DirectoryConfig(Backend.REDIS, redis(first, prefix, lease), List.of(), null, true);
    }

    private static Redis redis(String text, String prefix, Duration lease) {
        URI uri = uri(text);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("rediss")) {
            throw new IllegalArgumentException("TLS to Redis (rediss://) is not supported yet");
        }
        if (!scheme.equals("redis")) {
            throw new IllegalArgumentException("use redis://host[:port][/db] or static URL...");
        }
        if (uri.getHost() == null || uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException("use redis://[[user]:password@]host[:port][/db]");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        int database = path.isEmpty() || path.equals("/") ? 0 : (int) Units.bounded(Units.integer(path.substring(1)),
            0, Integer.MAX_VALUE);
        String user = null;
        String password = null;
        if (uri.getUserInfo() != null) {
            int colon = uri.getUserInfo().indexOf(':');
            password = colon < 0 ? uri.getUserInfo() : uri.getUserInfo().substring(colon + 1);
            user = colon <= 0 ? null : uri.getUserInfo().substring(0, colon);
        }
        return new Redis(host(uri), uri.getPort() < 0 ? 6379 : uri.getPort(), database, user, password, prefix,
            lease);
    }

    /** An {@code rtmp://host[:port]} or {@code rtmps://host[:port]}, normalised with its port. */
    private static URI origin(String text) {
        URI uri = uri(text);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String path = uri.getPath() == null ? "" : uri.getPath();
        if (!(scheme.equals("rtmp") || scheme.equals("rtmps")) || uri.getHost() == null || uri.getUserInfo() != null
                || !(path.isEmpty() || path.equals("/")) || uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException("use rtmp://host[:port] or rtmps://host[:port], without an application");
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("rtmps") ? 443 : 1935;
        String host = host(uri);
        return URI.create(scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
    }

    private static String host(URI uri) {
        String host = uri.getHost();
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    private static URI uri(String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL");
        }
    }
}
