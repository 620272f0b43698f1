package onair.config;

import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/**
 * Binds a parsed nginx configuration to {@link ServerConfig}: checks every directive of the {@code rtmp} section
 * against its context, parses values, and merges {@code rtmp} → {@code server} → {@code application}.
 */
final class ConfigBinder {

    private enum Context { MAIN, RTMP, SERVER, APPLICATION }

    private record Setting(String name, Set<Context> contexts, Object defaultValue, Function<String, Object> parser,
            boolean list) {

        Setting(String name, Set<Context> contexts, Object defaultValue, Function<String, Object> parser) {
            this(name, contexts, defaultValue, parser, false);
        }
    }

    private record FileSetting(Path file, Directive directive) {}

    private record Scope(Map<String, Object> values, Scope parent) {

        Object get(String name) {
            Object value = values.get(name);
            if (value != null) {
                return value;
            }
            return parent != null ? parent.get(name) : SETTINGS.get(name).defaultValue();
        }
    }

    private static final Set<Context> CORE = EnumSet.of(Context.RTMP, Context.SERVER);
    private static final Set<Context> LIVE = EnumSet.of(Context.RTMP, Context.SERVER, Context.APPLICATION);
    private static final int MIN_CHUNK_SIZE = 128;
    private static final int MAX_CHUNK_SIZE = 0xFF_FFFF;
    private static final Set<String> SSL_PROTOCOLS = Set.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

    private static final Map<String, Setting> SETTINGS = settings(
            new Setting("chunk_size", CORE, 4096, v -> (int) bounded(Units.size(v), MIN_CHUNK_SIZE, MAX_CHUNK_SIZE)),
            new Setting("timeout", CORE, Duration.ofSeconds(60), ConfigBinder::positiveTime),
            new Setting("ping", CORE, Duration.ofSeconds(60), Units::time),
            new Setting("ping_timeout", CORE, Duration.ofSeconds(30), ConfigBinder::positiveTime),
            new Setting("ack_window", CORE, 5_000_000L, v -> bounded(Units.size(v), 1, 0xFFFF_FFFFL)),
            new Setting("max_message", CORE, 1 << 20, v -> (int) bounded(Units.size(v), 1, Integer.MAX_VALUE)),
            new Setting("max_streams", CORE, 32, v -> (int) bounded(integer(v), 1, Integer.MAX_VALUE)),
            new Setting("max_connections", CORE, 10_000, ConfigBinder::limit),
            new Setting("max_connections_per_address", CORE, 100, ConfigBinder::limit),
            new Setting("buflen", CORE, Duration.ofMillis(1000), Units::time),
            new Setting("ssl_certificate", CORE, null, Path::of),
            new Setting("ssl_certificate_key", CORE, null, Path::of),
            new Setting("ssl_protocols", CORE, List.of("TLSv1.2", "TLSv1.3"), ConfigBinder::sslProtocols, true),
            new Setting("ssl_ciphers", CORE, List.of(), ConfigBinder::sslCiphers),
            new Setting("live", LIVE, false, Units::flag),
            new Setting("wait_key", LIVE, true, Units::flag),
            new Setting("wait_video", LIVE, false, Units::flag),
            new Setting("publish_notify", LIVE, false, Units::flag),
            new Setting("idle_streams", LIVE, true, Units::flag),
            new Setting("drop_idle_publisher", LIVE, Duration.ZERO, Units::time),
            new Setting("play_restart", LIVE, false, Units::flag),
            new Setting("meta", LIVE, ApplicationConfig.Meta.ON, ConfigBinder::meta),
            new Setting("interleave", LIVE, false, Units::flag),
            new Setting("sync", LIVE, Duration.ofMillis(300), Units::time),
            new Setting("gop_cache", LIVE, true, Units::flag),
            new Setting("hls", LIVE, false, Units::flag),
            new Setting("hls_path", LIVE, null, Path::of),
            new Setting("hls_fragment", LIVE, Duration.ofSeconds(5), ConfigBinder::positiveTime),
            new Setting("hls_max_fragment", LIVE, null, ConfigBinder::positiveTime),
            new Setting("hls_playlist_length", LIVE, Duration.ofSeconds(30), ConfigBinder::positiveTime),
            new Setting("hls_sync", LIVE, Duration.ofMillis(2), Units::time),
            new Setting("hls_continuous", LIVE, true, Units::flag),
            new Setting("hls_nested", LIVE, false, Units::flag),
            new Setting("hls_base_url", LIVE, "", v -> v),
            new Setting("hls_cleanup", LIVE, true, Units::flag),
            new Setting("hls_fragment_naming", LIVE, HlsConfig.Naming.SEQUENTIAL,
                    v -> choice(v, HlsConfig.Naming.class, "sequential", "timestamp", "system")),
            new Setting("hls_fragment_naming_granularity", LIVE, 0L, v -> bounded(integer(v), 0, 1L << 40)),
            new Setting("hls_fragment_slicing", LIVE, HlsConfig.Slicing.PLAIN,
                    v -> choice(v, HlsConfig.Slicing.class, "plain", "aligned")),
            new Setting("hls_variant", LIVE, List.of(), ConfigBinder::variant, true),
            new Setting("hls_type", LIVE, HlsConfig.Type.LIVE, v -> choice(v, HlsConfig.Type.class, "live", "event")),
            new Setting("hls_muxdelay", LIVE, Duration.ofMillis(700), Units::time),
            new Setting("hls_max_audio_delay", LIVE, Duration.ofMillis(300), Units::time),
            new Setting("hls_audio_buffer_size", LIVE, 1L << 20, v -> bounded(Units.size(v), 1, 64L << 20)),
            new Setting("hls_keys", LIVE, false, Units::flag),
            new Setting("hls_key_path", LIVE, null, Path::of),
            new Setting("hls_key_url", LIVE, "", v -> v),
            new Setting("hls_fragments_per_key", LIVE, 0, v -> (int) bounded(integer(v), 0, Integer.MAX_VALUE)),
            new Setting("hls_allow_client_cache", LIVE, HlsConfig.ClientCache.UNSET,
                    v -> choice(v, HlsConfig.ClientCache.class, null, "enabled", "disabled")),
            new Setting("hls_datetime", LIVE, HlsConfig.DateTime.NONE,
                    v -> choice(v, HlsConfig.DateTime.class, "none", "system", "timestamp")),
            new Setting("hls_segment_type", LIVE, HlsConfig.SegmentType.MPEGTS,
                    v -> choice(v, HlsConfig.SegmentType.class, "mpegts", "fmp4")),
            new Setting("hls_part", LIVE, Duration.ZERO, ConfigBinder::part));

    private static final Set<String> UNSUPPORTED = Set.of(
            "out_queue", "out_cork", "busy", "play_time_fix", "publish_time_fix", "so_keepalive",
            "server_name", "log_interval", "log_size",
            "allow", "deny",
            "stream_buckets", "buffer",
            "record", "record_path", "record_suffix", "record_unique", "record_append", "record_lock",
            "record_max_size", "record_max_frames", "record_interval", "record_notify", "recorder",
            "record_interval_size",
            "play", "play_temp_path", "play_local_path",
            "push", "pull", "push_reconnect", "pull_reconnect", "session_relay", "relay_buffer",
            "exec", "exec_push", "exec_pull", "exec_static", "exec_publish", "exec_publish_done", "exec_play",
            "exec_play_done", "exec_record_done", "exec_record_started", "exec_options", "exec_kill_signal",
            "respawn", "respawn_timeout",
            "on_connect", "on_disconnect", "on_publish", "on_play", "on_publish_done", "on_play_done", "on_done",
            "on_record_done", "on_record_started", "on_update", "on_playlist", "notify_method",
            "notify_update_timeout", "notify_update_strict", "notify_relay_redirect", "notify_send_redirect",
            "netcall_timeout", "netcall_buffer",
            "dash", "dash_path", "dash_fragment", "dash_playlist_length", "dash_nested", "dash_cleanup",
            "dash_clock_compensation", "dash_clock_helper_uri",
            "access_log", "log_format",
            "rtmp_auto_push", "rtmp_auto_push_reconnect", "rtmp_socket_dir");

    private static final Set<String> NGINX_MAIN = Set.of(
            "user", "worker_processes", "error_log", "events", "http", "stream", "mail", "load_module", "env",
            "worker_rlimit_nofile", "worker_rlimit_core", "daemon", "master_process", "timer_resolution",
            "working_directory", "lock_file", "worker_cpu_affinity", "worker_priority", "worker_shutdown_timeout",
            "thread_pool", "pcre_jit", "ssl_engine", "google_perftools_profiles", "debug_points");

    private static final Set<String> ELSEWHERE = Set.of(
            "pid", "rtmp", "server", "listen", "application", "include", "rtmp_stat", "rtmp_stat_stylesheet",
            "rtmp_control");

    private final String fileName;
    private final List<String> ignored = new ArrayList<>();

    private ConfigBinder(String fileName) {
        this.fileName = fileName;
    }

    static ServerConfig bind(List<Directive> main, String fileName) {
        return new ConfigBinder(fileName).main(main);
    }

    private ServerConfig main(List<Directive> main) {
        Directive rtmp = null;
        Path pidFile = ServerConfig.DEFAULT_PID_FILE;
        for (Directive d : main) {
            if (d.name().equals("pid")) {
                if (d.block() != null || d.args().size() != 1) {
                    throw invalidArgumentCount(d);
                }
                pidFile = relativeToFile(d, Path.of(d.args().getFirst()));
            } else if (d.name().equals("rtmp")) {
                requireBlock(d, 0);
                if (rtmp != null) {
                    throw ConfigException.at(d, "\"rtmp\" directive is duplicate");
                }
                rtmp = d;
            } else if (NGINX_MAIN.contains(d.name())) {
                ignored.add(d.location() + ": directive \"" + d.name() + "\" is ignored (not supported yet)");
            } else {
                throw refused(d);
            }
        }
        if (rtmp == null) {
            throw new ConfigException(fileName + ": no \"rtmp\" section in configuration");
        }
        return new ServerConfig(rtmp(rtmp), ignored, pidFile);
    }

    private List<RtmpServerConfig> rtmp(Directive rtmp) {
        Map<String, Object> values = new HashMap<>();
        List<Directive> servers = new ArrayList<>();
        for (Directive d : rtmp.block()) {
            if (d.name().equals("server")) {
                requireBlock(d, 0);
                servers.add(d);
            } else {
                set(d, Context.RTMP, values);
            }
        }
        Scope scope = new Scope(Map.copyOf(values), null);
        Set<String> addresses = new HashSet<>();
        List<RtmpServerConfig> configs = new ArrayList<>();
        for (Directive server : servers) {
            configs.add(server(server, scope, addresses));
        }
        return configs;
    }

    private RtmpServerConfig server(Directive server, Scope rtmp, Set<String> addresses) {
        Map<String, Object> values = new HashMap<>();
        List<Listen> listens = new ArrayList<>();
        Directive sslListen = null;
        List<Directive> applications = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Directive d : server.block()) {
            switch (d.name()) {
                case "listen" -> {
                    Listen listen = ListenParser.parse(d, ignored);
                    if (listen.port() != 0 && !addresses.add(listen.toString())) {
                        throw ConfigException.at(d, "duplicate \"" + listen + "\" address and port pair");
                    }
                    listens.add(listen);
                    if (listen.ssl() && sslListen == null) {
                        sslListen = d;
                    }
                }
                case "application" -> {
                    requireBlock(d, 1);
                    if (!names.add(d.args().getFirst())) {
                        throw ConfigException.at(d, "duplicate application \"" + d.args().getFirst() + "\"");
                    }
                    applications.add(d);
                }
                default -> set(d, Context.SERVER, values);
            }
        }
        if (listens.isEmpty()) {
            throw ConfigException.at(server, "no \"listen\" directive in \"server\" block");
        }
        Scope scope = new Scope(Map.copyOf(values), rtmp);
        List<ApplicationConfig> apps = applications.stream().map(app -> application(app, scope)).toList();
        SslConfig ssl = sslListen == null ? null : ssl(sslListen, scope);
        return new RtmpServerConfig(listens, (int) scope.get("chunk_size"), (Duration) scope.get("timeout"),
                (Duration) scope.get("ping"), (Duration) scope.get("ping_timeout"), (long) scope.get("ack_window"),
                (int) scope.get("max_message"), (int) scope.get("max_streams"), (Duration) scope.get("buflen"),
                (int) scope.get("max_connections"), (int) scope.get("max_connections_per_address"), ssl, apps);
    }

    @SuppressWarnings("unchecked")
    private static SslConfig ssl(Directive listen, Scope scope) {
        if (!(scope.get("ssl_certificate") instanceof FileSetting certificate)) {
            throw ConfigException.at(listen, "no \"ssl_certificate\" is defined for the \"listen ... ssl\" directive");
        }
        if (!(scope.get("ssl_certificate_key") instanceof FileSetting key)) {
            throw ConfigException.at(listen,
                    "no \"ssl_certificate_key\" is defined for certificate \"" + certificate.file() + "\"");
        }
        List<X509Certificate> chain;
        try {
            chain = Pem.certificates(certificate.file());
        } catch (IllegalArgumentException e) {
            throw ConfigException.at(certificate.directive(),
                    "cannot load certificate \"" + certificate.file() + "\": " + e.getMessage());
        }
        PrivateKey privateKey;
        try {
            privateKey = Pem.privateKey(key.file());
            Pem.requireMatch(privateKey, chain.getFirst());
        } catch (IllegalArgumentException e) {
            throw ConfigException.at(key.directive(),
                    "cannot load certificate key \"" + key.file() + "\": " + e.getMessage());
        }
        return new SslConfig(certificate.file(), key.file(), chain, privateKey,
                (List<String>) scope.get("ssl_protocols"), (List<String>) scope.get("ssl_ciphers"));
    }

    private ApplicationConfig application(Directive app, Scope server) {
        Map<String, Object> values = new HashMap<>();
        for (Directive d : app.block()) {
            set(d, Context.APPLICATION, values);
        }
        Scope scope = new Scope(Map.copyOf(values), server);
        return new ApplicationConfig(app.args().getFirst(), (boolean) scope.get("live"),
                (boolean) scope.get("wait_key"), (boolean) scope.get("wait_video"),
                (boolean) scope.get("publish_notify"), (boolean) scope.get("idle_streams"),
                (Duration) scope.get("drop_idle_publisher"), (boolean) scope.get("play_restart"),
                (ApplicationConfig.Meta) scope.get("meta"), (boolean) scope.get("interleave"),
                (Duration) scope.get("sync"), (boolean) scope.get("gop_cache"), hls(app, scope));
    }

    @SuppressWarnings("unchecked")
    private static HlsConfig hls(Directive app, Scope scope) {
        boolean enabled = (boolean) scope.get("hls");
        Path path = scope.get("hls_path") instanceof FileSetting file ? file.file() : null;
        if (enabled && path == null) {
            throw ConfigException.at(app, "\"hls\" is on but no \"hls_path\" is set for application \""
                    + app.args().getFirst() + "\"");
        }
        HlsConfig.SegmentType segmentType = (HlsConfig.SegmentType) scope.get("hls_segment_type");
        if (enabled && (boolean) scope.get("hls_keys") && segmentType == HlsConfig.SegmentType.FMP4) {
            throw ConfigException.at(app, "\"hls_keys\" is not supported with \"hls_segment_type fmp4\" in application \""
                    + app.args().getFirst() + "\"");
        }
        Duration part = (Duration) scope.get("hls_part");
        if (enabled && !part.isZero() && segmentType != HlsConfig.SegmentType.FMP4) {
            throw ConfigException.at(app, "\"hls_part\" needs \"hls_segment_type fmp4\" in application \""
                    + app.args().getFirst() + "\"");
        }
        Duration fragment = (Duration) scope.get("hls_fragment");
        Duration maxFragment = (Duration) scope.get("hls_max_fragment");
        Path keyPath = scope.get("hls_key_path") instanceof FileSetting file ? file.file() : path;
        return new HlsConfig(enabled, path, fragment, maxFragment != null ? maxFragment : fragment.multipliedBy(10),
                (Duration) scope.get("hls_playlist_length"), (Duration) scope.get("hls_sync"),
                (boolean) scope.get("hls_continuous"), (boolean) scope.get("hls_nested"),
                (String) scope.get("hls_base_url"), (boolean) scope.get("hls_cleanup"),
                (HlsConfig.Naming) scope.get("hls_fragment_naming"),
                (long) scope.get("hls_fragment_naming_granularity"),
                (HlsConfig.Slicing) scope.get("hls_fragment_slicing"), (HlsConfig.Type) scope.get("hls_type"),
                (List<HlsConfig.Variant>) scope.get("hls_variant"), (Duration) scope.get("hls_muxdelay"),
                (Duration) scope.get("hls_max_audio_delay"), (long) scope.get("hls_audio_buffer_size"),
                (boolean) scope.get("hls_keys"), keyPath, (String) scope.get("hls_key_url"),
                (int) scope.get("hls_fragments_per_key"), (HlsConfig.ClientCache) scope.get("hls_allow_client_cache"),
                (HlsConfig.DateTime) scope.get("hls_datetime"), segmentType, part);
    }

    /** One value of {@code E}, named by {@code names} in constant order (a null name skips a constant). */
    private static <E extends Enum<E>> E choice(String text, Class<E> type, String... names) {
        E[] constants = type.getEnumConstants();
        int offset = constants.length - names.length;
        for (int i = 0; i < names.length; i++) {
            if (text.equals(names[i])) {
                return constants[i + offset];
            }
        }
        throw new IllegalArgumentException("it must be " + Stream.of(names).filter(java.util.Objects::nonNull)
                .map(name -> "\"" + name + "\"").collect(Collectors.joining(" or ")));
    }

    private static Duration part(String text) {
        Duration part = Units.time(text);
        if (part.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("it must be at most 1s");
        }
        return part;
    }

    private static List<HlsConfig.Variant> variant(String text) {
        List<String> args = List.of(text.split(" "));
        for (String attribute : args.subList(1, args.size())) {
            if (attribute.indexOf('=') <= 0) {
                throw new IllegalArgumentException("\"" + attribute + "\" is not an ATTRIBUTE=value pair");
            }
        }
        return List.of(new HlsConfig.Variant(args.getFirst(), args.subList(1, args.size())));
    }

    private void set(Directive d, Context context, Map<String, Object> values) {
        Setting setting = SETTINGS.get(d.name());
        if (setting == null || !setting.contexts().contains(context)) {
            throw refused(d);
        }
        if (d.block() != null) {
            throw ConfigException.at(d, "directive \"" + d.name() + "\" is not terminated by \";\"");
        }
        if (d.args().isEmpty() || d.args().size() > 1 && !setting.list()) {
            throw invalidArgumentCount(d);
        }
        if (d.name().equals("hls_variant") && values.get(d.name()) instanceof List<?> earlier) {
            List<Object> all = new ArrayList<>(earlier);
            all.addAll((List<?>) parseValue(d, setting));
            values.put(d.name(), List.copyOf(all));
            return;
        }
        if (values.containsKey(d.name())) {
            throw ConfigException.at(d, "\"" + d.name() + "\" directive is duplicate");
        }
        values.put(d.name(), parseValue(d, setting));
    }

    private static Object parseValue(Directive d, Setting setting) {
        String value = String.join(" ", d.args());
        try {
            Object parsed = setting.parser().apply(value);
            return parsed instanceof Path path ? new FileSetting(relativeToFile(d, path), d) : parsed;
        } catch (IllegalArgumentException e) {
            throw invalidValue(d, value, e.getMessage());
        }
    }

    private static ConfigException refused(Directive d) {
        String name = d.name();
        if (UNSUPPORTED.contains(name)) {
            return ConfigException.at(d, "directive \"" + name + "\" is not supported yet");
        }
        if (SETTINGS.containsKey(name) || NGINX_MAIN.contains(name) || ELSEWHERE.contains(name)) {
            return ConfigException.at(d, "\"" + name + "\" directive is not allowed here");
        }
        return ConfigException.at(d, "unknown directive \"" + name + "\"");
    }

    private static void requireBlock(Directive d, int args) {
        if (d.block() == null) {
            throw ConfigException.at(d, "directive \"" + d.name() + "\" has no opening \"{\"");
        }
        if (d.args().size() != args) {
            throw invalidArgumentCount(d);
        }
    }

    static ConfigException invalidArgumentCount(Directive d) {
        return ConfigException.at(d, "invalid number of arguments in \"" + d.name() + "\" directive");
    }

    static ConfigException invalidValue(Directive d, String value, String detail) {
        String message = "invalid value \"" + value + "\" in \"" + d.name() + "\" directive";
        return ConfigException.at(d, detail == null ? message : message + ", " + detail);
    }

    private static long bounded(long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("it must be between " + min + " and " + max);
        }
        return value;
    }

    private static long integer(String text) {
        if (text.isEmpty() || !text.chars().allMatch(Character::isDigit) || text.length() > 18) {
            throw new IllegalArgumentException();
        }
        return Long.parseLong(text);
    }

    private static Object limit(String text) {
        if (text.equals("off")) {
            return 0;
        }
        try {
            return (int) bounded(integer(text), 1, Integer.MAX_VALUE);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("it must be \"off\" or between 1 and " + Integer.MAX_VALUE);
        }
    }

    private static Duration positiveTime(String text) {
        Duration time = Units.time(text);
        if (time.isZero()) {
            throw new IllegalArgumentException("it must be greater than 0");
        }
        return time;
    }

    private static Path relativeToFile(Directive d, Path path) {
        return Path.of(d.file()).toAbsolutePath().getParent().resolve(path).normalize();
    }

    private static List<String> sslProtocols(String text) {
        List<String> protocols = List.of(text.split(" "));
        for (String protocol : protocols) {
            if (!SSL_PROTOCOLS.contains(protocol)) {
                throw new IllegalArgumentException(
                        "it must be one or more of \"TLSv1\", \"TLSv1.1\", \"TLSv1.2\" and \"TLSv1.3\"");
            }
        }
        return protocols.stream().distinct().toList();
    }

    private static List<String> sslCiphers(String text) {
        Set<String> supported;
        try {
            supported = Set.of(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
        List<String> ciphers = List.of(text.split(":"));
        for (String cipher : ciphers) {
            if (!supported.contains(cipher)) {
                throw new IllegalArgumentException("unknown cipher suite \"" + cipher
                        + "\" (JDK names such as TLS_AES_128_GCM_SHA256, separated by \":\")");
            }
        }
        return ciphers;
    }

    private static ApplicationConfig.Meta meta(String text) {
        return switch (text) {
            case "on" -> ApplicationConfig.Meta.ON;
            case "copy" -> ApplicationConfig.Meta.COPY;
            case "off" -> ApplicationConfig.Meta.OFF;
            default -> throw new IllegalArgumentException("it must be \"on\", \"copy\" or \"off\"");
        };
    }

    private static Map<String, Setting> settings(Setting... settings) {
        return Stream.of(settings).collect(Collectors.toUnmodifiableMap(Setting::name, setting -> setting));
    }
}
