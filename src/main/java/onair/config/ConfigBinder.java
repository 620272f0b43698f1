package onair.config;

import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Binds a parsed nginx configuration to {@link ServerConfig}: checks every directive of the {@code rtmp} section
 * against its context, parses values, and merges {@code rtmp} → {@code server} → {@code application}; the
 * {@code http} section goes to {@link HttpConfigBinder}.
 */
final class ConfigBinder {

    private enum Context { MAIN, RTMP, SERVER, APPLICATION, RECORDER }

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
    private static final Set<Context> RECORD = EnumSet.of(Context.RTMP, Context.SERVER, Context.APPLICATION,
            Context.RECORDER);
    private static final int MIN_CHUNK_SIZE = 128;
    private static final int MAX_CHUNK_SIZE = 0xFF_FFFF;

    private static final Map<String, Setting> SETTINGS = settings(
            new Setting("chunk_size", CORE, 4096, v -> (int) Units.bounded(Units.size(v), MIN_CHUNK_SIZE, MAX_CHUNK_SIZE)),
            new Setting("timeout", CORE, Duration.ofSeconds(60), Units::positiveTime),
            new Setting("ping", CORE, Duration.ofSeconds(60), Units::time),
            new Setting("ping_timeout", CORE, Duration.ofSeconds(30), Units::positiveTime),
            new Setting("ack_window", CORE, 5_000_000L, v -> Units.bounded(Units.size(v), 1, 0xFFFF_FFFFL)),
            new Setting("max_message", CORE, 1 << 20, v -> (int) Units.bounded(Units.size(v), 1, Integer.MAX_VALUE)),
            new Setting("max_streams", CORE, 32, v -> (int) Units.bounded(Units.integer(v), 1, Integer.MAX_VALUE)),
            new Setting("max_connections", LIVE, 10_000, Units::limit),
            new Setting("max_connections_per_address", CORE, 100, Units::limit),
            new Setting("buflen", CORE, Duration.ofMillis(1000), Units::time),
            new Setting("ssl_certificate", CORE, null, Path::of),
            new Setting("ssl_certificate_key", CORE, null, Path::of),
            new Setting("ssl_protocols", CORE, List.of("TLSv1.2", "TLSv1.3"), Units::sslProtocols, true),
            new Setting("ssl_ciphers", CORE, List.of(), Units::sslCiphers),
            new Setting("live", LIVE, false, Units::flag),
            new Setting("wait_key", LIVE, true, Units::flag),
            new Setting("wait_video", LIVE, false, Units::flag),
            new Setting("publish_notify", LIVE, false, Units::flag),
            new Setting("idle_streams", LIVE, true, Units::flag),
            new Setting("drop_idle_publisher", LIVE, Duration.ZERO, Units::time),
            new Setting("play_restart", LIVE, false, Units::flag),
            new Setting("meta", LIVE, ApplicationConfig.Meta.ON, Units::meta),
            new Setting("interleave", LIVE, false, Units::flag),
            new Setting("sync", LIVE, Duration.ofMillis(300), Units::time),
            new Setting("gop_cache", LIVE, true, Units::flag),
            new Setting("on_connect", CORE, null, Units::callbackUrl),
            new Setting("on_disconnect", CORE, null, Units::callbackUrl),
            new Setting("on_publish", LIVE, null, Units::callbackUrl),
            new Setting("on_play", LIVE, null, Units::callbackUrl),
            new Setting("on_publish_done", LIVE, null, Units::callbackUrl),
            new Setting("on_play_done", LIVE, null, Units::callbackUrl),
            new Setting("on_done", LIVE, null, Units::callbackUrl),
            new Setting("on_record_done", LIVE, null, Units::callbackUrl),
            new Setting("on_update", LIVE, null, Units::callbackUrl),
            new Setting("notify_method", LIVE, AdmissionConfig.Method.POST, Units::notifyMethod),
            new Setting("notify_update_timeout", LIVE, AdmissionConfig.DEFAULT.updateTimeout(), Units::time),
            new Setting("notify_update_strict", LIVE, false, Units::flag),
            new Setting("notify_relay_redirect", LIVE, false, Units::flag),
            new Setting("netcall_timeout", CORE, AdmissionConfig.DEFAULT.netcallTimeout(), Units::positiveTime),
            new Setting("notify_ssl_trusted_certificate", LIVE, null, Path::of),
            new Setting("publish_token_secret", LIVE, null, Units::tokenSecret),
            new Setting("record", RECORD, null, Units::recordFlags, true),
            new Setting("record_path", RECORD, null, Path::of),
            new Setting("record_suffix", RECORD, ".flv", v -> v),
            new Setting("record_unique", RECORD, false, Units::flag),
            new Setting("record_append", RECORD, false, Units::flag),
            new Setting("record_lock", RECORD, false, Units::flag),
            new Setting("record_max_size", RECORD, 0L, Units::size),
            new Setting("record_max_frames", RECORD, 0L, Units::integer),
            new Setting("record_interval", RECORD, null, Units::time),
            new Setting("record_notify", RECORD, false, Units::flag),
            new Setting("hls", LIVE, false, Units::flag),
            new Setting("hls_path", LIVE, null, Path::of),
            new Setting("hls_fragment", LIVE, Duration.ofSeconds(5), Units::positiveTime),
            new Setting("hls_max_fragment", LIVE, null, Units::positiveTime),
            new Setting("hls_playlist_length", LIVE, Duration.ofSeconds(30), Units::positiveTime),
            new Setting("hls_sync", LIVE, Duration.ofMillis(2), Units::time),
            new Setting("hls_continuous", LIVE, true, Units::flag),
            new Setting("hls_nested", LIVE, false, Units::flag),
            new Setting("hls_base_url", LIVE, "", v -> v),
            new Setting("hls_cleanup", LIVE, true, Units::flag),
            new Setting("hls_fragment_naming", LIVE, HlsConfig.Naming.SEQUENTIAL,
                    v -> Units.choice(v, HlsConfig.Naming.class, "sequential", "timestamp", "system")),
            new Setting("hls_fragment_naming_granularity", LIVE, 0L, v -> Units.bounded(Units.integer(v), 0, 1L << 40)),
            new Setting("hls_fragment_slicing", LIVE, HlsConfig.Slicing.PLAIN,
                    v -> Units.choice(v, HlsConfig.Slicing.class, "plain", "aligned")),
            new Setting("hls_variant", LIVE, List.of(), v -> List.of(Units.variant(v)), true),
            new Setting("hls_type", LIVE, HlsConfig.Type.LIVE, v -> Units.choice(v, HlsConfig.Type.class, "live", "event")),
            new Setting("hls_muxdelay", LIVE, Duration.ofMillis(700), Units::time),
            new Setting("hls_max_audio_delay", LIVE, Duration.ofMillis(300), Units::time),
            new Setting("hls_audio_buffer_size", LIVE, 1L << 20, v -> Units.bounded(Units.size(v), 1, 64L << 20)),
            new Setting("hls_keys", LIVE, false, Units::flag),
            new Setting("hls_key_path", LIVE, null, Path::of),
            new Setting("hls_key_url", LIVE, "", v -> v),
            new Setting("hls_fragments_per_key", LIVE, 0, v -> (int) Units.bounded(Units.integer(v), 0, Integer.MAX_VALUE)),
            new Setting("hls_allow_client_cache", LIVE, HlsConfig.ClientCache.UNSET,
                    v -> Units.choice(v, HlsConfig.ClientCache.class, null, "enabled", "disabled")),
            new Setting("hls_datetime", LIVE, HlsConfig.DateTime.NONE,
                    v -> Units.choice(v, HlsConfig.DateTime.class, "none", "system", "timestamp")),
            new Setting("hls_segment_type", LIVE, HlsConfig.SegmentType.MPEGTS,
                    v -> Units.choice(v, HlsConfig.SegmentType.class, "mpegts", "fmp4")),
            new Setting("hls_part", LIVE, Duration.ZERO, Units::part));

    private static final Set<String> UNSUPPORTED = Set.of(
            "out_queue", "out_cork", "busy", "play_time_fix", "publish_time_fix", "so_keepalive",
            "server_name", "log_interval", "log_size",
            "stream_buckets", "buffer",
            "record_interval_size",
            "play", "play_temp_path", "play_local_path",
            "push", "pull", "push_reconnect", "pull_reconnect", "session_relay", "relay_buffer",
            "exec", "exec_push", "exec_pull", "exec_static", "exec_publish", "exec_publish_done", "exec_play",
            "exec_play_done", "exec_record_done", "exec_record_started", "exec_options", "exec_kill_signal",
            "respawn", "respawn_timeout",
            "on_record_started", "on_playlist", "notify_send_redirect", "netcall_buffer",
            "dash", "dash_path", "dash_fragment", "dash_playlist_length", "dash_nested", "dash_cleanup",
            "dash_clock_compensation", "dash_clock_helper_uri",
            "rtmp_auto_push", "rtmp_auto_push_reconnect", "rtmp_socket_dir");

    private static final String ACCESS = "allow/deny";

    private static final Set<String> NGINX_MAIN = Set.of(
            "user", "worker_processes", "error_log", "events", "stream", "mail", "load_module", "env",
            "worker_rlimit_nofile", "worker_rlimit_core", "daemon", "master_process", "timer_resolution",
            "working_directory", "lock_file", "worker_cpu_affinity", "worker_priority", "worker_shutdown_timeout",
            "thread_pool", "pcre_jit", "ssl_engine", "google_perftools_profiles", "debug_points");

    private static final Set<String> ELSEWHERE = Set.of(
            "pid", "rtmp", "http", "server", "listen", "application", "include", "allow", "deny", "rtmp_stat",
            "rtmp_stat_stylesheet", "rtmp_control", "access_log", "log_format", "recorder");

    private final String fileName;
    private final List<String> ignored = new ArrayList<>();
    private final Map<String, LogFormat> formats = new HashMap<>(Map.of("combined", LogFormat.COMBINED));

    private ConfigBinder(String fileName) {
        this.fileName = fileName;
    }

    static ServerConfig bind(List<Directive> main, String fileName) {
        return new ConfigBinder(fileName).main(main);
    }

    private ServerConfig main(List<Directive> main) {
        Directive rtmp = null;
        Directive http = null;
        Path pidFile = ServerConfig.DEFAULT_PID_FILE;
        for (Directive d : main) {
            if (d.name().equals("pid")) {
                if (d.block() != null || d.args().size() != 1) {
                    throw ConfigException.invalidArgumentCount(d);
                }
                pidFile = Units.relativeToFile(d, Path.of(d.args().getFirst()));
            } else if (d.name().equals("rtmp")) {
                requireBlock(d, 0);
                if (rtmp != null) {
                    throw ConfigException.at(d, "\"rtmp\" directive is duplicate");
                }
                rtmp = d;
            } else if (d.name().equals("http")) {
                requireBlock(d, 0);
                if (http != null) {
                    throw ConfigException.at(d, "\"http\" directive is duplicate");
                }
                http = d;
            } else if (NGINX_MAIN.contains(d.name())) {
                ignored.add(d.location() + ": directive \"" + d.name() + "\" is ignored (not supported yet)");
            } else {
                throw refused(d);
            }
        }
        if (rtmp == null) {
            throw new ConfigException(fileName + ": no \"rtmp\" section in configuration");
        }
        List<RtmpServerConfig> rtmpServers = rtmp(rtmp);
        List<HttpServerConfig> httpServers = http == null ? List.of() : HttpConfigBinder.bind(http, ignored);
        return new ServerConfig(rtmpServers, ignored, pidFile, httpServers);
    }

    private List<RtmpServerConfig> rtmp(Directive rtmp) {
        Map<String, Object> values = new HashMap<>();
        List<Directive> servers = new ArrayList<>();
        for (Directive d : rtmp.block()) {
            if (d.name().equals("log_format")) {
                logFormat(d);
            }
        }
        for (Directive d : rtmp.block()) {
            switch (d.name()) {
                case "server" -> {
                    requireBlock(d, 0);
                    servers.add(d);
                }
                case "log_format", "access_log" -> { }
                default -> set(d, Context.RTMP, values);
            }
        }
        Scope scope = new Scope(Map.copyOf(values), null);
        AccessLogConfig accessLog = accessLog(rtmp.block(), AccessLogConfig.OFF);
        Set<String> addresses = new HashSet<>();
        List<RtmpServerConfig> configs = new ArrayList<>();
        for (Directive server : servers) {
            configs.add(server(server, scope, addresses, accessLog));
        }
        return configs;
    }

    private RtmpServerConfig server(Directive server, Scope rtmp, Set<String> addresses, AccessLogConfig rtmpLog) {
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
                case "access_log" -> { }
                default -> set(d, Context.SERVER, values);
            }
        }
        if (listens.isEmpty()) {
            throw ConfigException.at(server, "no \"listen\" directive in \"server\" block");
        }
        Scope scope = new Scope(Map.copyOf(values), rtmp);
        AccessLogConfig accessLog = accessLog(server.block(), rtmpLog);
        List<ApplicationConfig> apps = applications.stream().map(app -> application(app, scope, accessLog)).toList();
        SslConfig ssl = sslListen == null ? null : ssl(sslListen, scope);
        return new RtmpServerConfig(listens, (int) scope.get("chunk_size"), (Duration) scope.get("timeout"),
                (Duration) scope.get("ping"), (Duration) scope.get("ping_timeout"), (long) scope.get("ack_window"),
                (int) scope.get("max_message"), (int) scope.get("max_streams"), (Duration) scope.get("buflen"),
                (int) scope.get("max_connections"), (int) scope.get("max_connections_per_address"), ssl, apps,
                accessLog, admission(scope, 0));
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
        return SslConfig.load(certificate.file(), certificate.directive(), key.file(), key.directive(),
                (List<String>) scope.get("ssl_protocols"), (List<String>) scope.get("ssl_ciphers"));
    }

    private ApplicationConfig application(Directive app, Scope server, AccessLogConfig serverLog) {
        Map<String, Object> values = new HashMap<>();
        List<Directive> recorders = new ArrayList<>();
        for (Directive d : app.block()) {
            switch (d.name()) {
                case "access_log" -> { }
                case "recorder" -> {
                    requireBlock(d, 1);
                    recorders.add(d);
                }
                default -> set(d, Context.APPLICATION, values);
            }
        }
        Scope scope = new Scope(Map.copyOf(values), server);
        return new ApplicationConfig(app.args().getFirst(), (boolean) scope.get("live"),
                (boolean) scope.get("wait_key"), (boolean) scope.get("wait_video"),
                (boolean) scope.get("publish_notify"), (boolean) scope.get("idle_streams"),
                (Duration) scope.get("drop_idle_publisher"), (boolean) scope.get("play_restart"),
                (ApplicationConfig.Meta) scope.get("meta"), (boolean) scope.get("interleave"),
                (Duration) scope.get("sync"), (boolean) scope.get("gop_cache"),
                accessLog(app.block(), serverLog),
                admission(scope, (int) values.getOrDefault("max_connections", 0)),
                record(app, scope, recorders), hls(app, scope));
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

    /**
     * The application's own recorder when a {@code record} directive is in force for it, then its {@code recorder}
     * blocks in file order, each inheriting the application's settings (nginx-rtmp's {@code ngx_rtmp_record_recorder}).
     */
    private RecordConfig record(Directive app, Scope scope, List<Directive> blocks) {
        List<RecordConfig.Recorder> recorders = new ArrayList<>();
        if (scope.get("record") != null) {
            recorders.add(recorder(app, "", scope));
        }
        Set<String> names = new HashSet<>();
        for (Directive block : blocks) {
            String name = block.args().getFirst();
            if (name.isEmpty() || !names.add(name)) {
                throw ConfigException.at(block,
                        name.isEmpty() ? "empty recorder name" : "duplicate recorder \"" + name + "\"");
            }
            Map<String, Object> values = new HashMap<>();
            for (Directive d : block.block()) {
                set(d, Context.RECORDER, values);
            }
            recorders.add(recorder(block, name, new Scope(Map.copyOf(values), scope)));
        }
        return recorders.isEmpty() ? RecordConfig.OFF : new RecordConfig(recorders);
    }

    @SuppressWarnings("unchecked")
    private static RecordConfig.Recorder recorder(Directive at, String name, Scope scope) {
        Set<RecordConfig.Flag> flags =
                scope.get("record") instanceof Set<?> set ? (Set<RecordConfig.Flag>) set : Set.of();
        Path path = scope.get("record_path") instanceof FileSetting file ? file.file() : null;
        if (path == null && !flags.isEmpty()) {
            String recorder = name.isEmpty()
                    ? "recorder of application \"" + at.args().getFirst() + "\"" : "recorder \"" + name + "\"";
            throw ConfigException.at(at, "no \"record_path\" for the " + recorder);
        }
        return new RecordConfig.Recorder(name, flags, path, (String) scope.get("record_suffix"),
                (boolean) scope.get("record_unique"), (boolean) scope.get("record_append"),
                (boolean) scope.get("record_lock"), (long) scope.get("record_max_size"),
                (long) scope.get("record_max_frames"), (Duration) scope.get("record_interval"),
                (boolean) scope.get("record_notify"));
    }

    /** {@code log_format name format...}: the format arguments are joined as nginx-rtmp compiles them, back to back. */
    private void logFormat(Directive d) {
        if (d.block() != null) {
            throw ConfigException.at(d, "directive \"log_format\" is not terminated by \";\"");
        }
        if (d.args().size() < 2) {
            throw ConfigException.invalidArgumentCount(d);
        }
        String name = d.args().getFirst();
        if (formats.containsKey(name)) {
            throw ConfigException.at(d, "duplicate \"log_format\" name \"" + name + "\"");
        }
        try {
            formats.put(name, LogFormat.compile(name, String.join("", d.args().subList(1, d.args().size()))));
        } catch (IllegalArgumentException e) {
            throw ConfigException.at(d, e.getMessage());
        }
    }

    /**
     * The {@code access_log} directives of one block: none inherits {@code inherited}, {@code off} turns the log off,
     * and each {@code path [format]} adds a target (nginx-rtmp's {@code ngx_rtmp_log_merge_app_conf}).
     */
    private AccessLogConfig accessLog(List<Directive> block, AccessLogConfig inherited) {
        List<AccessLogConfig.Target> targets = new ArrayList<>();
        boolean found = false;
        boolean off = false;
        for (Directive d : block) {
            if (!d.name().equals("access_log")) {
                continue;
            }
            if (d.block() != null) {
                throw ConfigException.at(d, "directive \"access_log\" is not terminated by \";\"");
            }
            if (d.args().isEmpty() || d.args().size() > 2) {
                throw ConfigException.invalidArgumentCount(d);
            }
            found = true;
            if (d.args().getFirst().equals("off")) {
                off = true;
                continue;
            }
            String formatName = d.args().size() > 1 ? d.args().get(1) : "combined";
            LogFormat format = formats.entrySet().stream()
                    .filter(entry -> entry.getKey().equalsIgnoreCase(formatName))
                    .map(Map.Entry::getValue).findFirst()
                    .orElseThrow(() -> ConfigException.at(d, "unknown log format \"" + formatName + "\""));
            targets.add(new AccessLogConfig.Target(Units.relativeToFile(d, Path.of(d.args().getFirst())), format));
        }
        if (!found) {
            return inherited;
        }
        return off ? AccessLogConfig.OFF : new AccessLogConfig(targets);
    }

    @SuppressWarnings("unchecked")
    private static AdmissionConfig admission(Scope scope, int maxConnections) {
        Map<AdmissionConfig.Callback, URI> callbacks = new EnumMap<>(AdmissionConfig.Callback.class);
        for (AdmissionConfig.Callback callback : AdmissionConfig.Callback.values()) {
            if (scope.get(callback.directive()) instanceof URI url) {
                callbacks.put(callback, url);
            }
        }
        Path trustedFile = null;
        List<X509Certificate> trusted = List.of();
        if (scope.get("notify_ssl_trusted_certificate") instanceof FileSetting file) {
            trustedFile = file.file();
            try {
                trusted = Pem.certificates(trustedFile);
            } catch (IllegalArgumentException e) {
                throw ConfigException.at(file.directive(),
                        "cannot load certificate \"" + trustedFile + "\": " + e.getMessage());
            }
        }
        List<AccessRule> access = new ArrayList<>();
        for (Scope s = scope; s != null; s = s.parent()) {
            access.addAll((List<AccessRule>) s.values().getOrDefault(ACCESS, List.of()));
        }
        return new AdmissionConfig(callbacks, (AdmissionConfig.Method) scope.get("notify_method"),
                (Duration) scope.get("notify_update_timeout"), (boolean) scope.get("notify_update_strict"),
                (boolean) scope.get("notify_relay_redirect"), (Duration) scope.get("netcall_timeout"), trustedFile, trusted, access, maxConnections,
                (String) scope.get("publish_token_secret"));
    }

    @SuppressWarnings("unchecked")
    private void set(Directive d, Context context, Map<String, Object> values) {
        if (d.name().equals("allow") || d.name().equals("deny")) {
            if (d.block() != null) {
                throw ConfigException.at(d, "directive \"" + d.name() + "\" is not terminated by \";\"");
            }
            if (d.args().isEmpty() || d.args().size() > 3) {
                throw ConfigException.invalidArgumentCount(d);
            }
            try {
                AccessRule rule = AccessRule.parse(d.name().equals("allow"), d.args());
                ((List<AccessRule>) values.computeIfAbsent(ACCESS, k -> new ArrayList<AccessRule>())).add(rule);
            } catch (IllegalArgumentException e) {
                throw ConfigException.invalidValue(d, String.join(" ", d.args()), e.getMessage());
            }
            return;
        }
        Setting setting = SETTINGS.get(d.name());
        if (setting == null || !setting.contexts().contains(context)) {
            throw refused(d);
        }
        if (d.block() != null) {
            throw ConfigException.at(d, "directive \"" + d.name() + "\" is not terminated by \";\"");
        }
        if (d.args().isEmpty() || d.args().size() > 1 && !setting.list()) {
            throw ConfigException.invalidArgumentCount(d);
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
            return parsed instanceof Path path ? new FileSetting(Units.relativeToFile(d, path), d) : parsed;
        } catch (IllegalArgumentException e) {
            throw ConfigException.invalidValue(d, value, e.getMessage());
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
            throw ConfigException.invalidArgumentCount(d);
        }
    }

    private static Map<String, Setting> settings(Setting... settings) {
        return Stream.of(settings).collect(Collectors.toUnmodifiableMap(Setting::name, setting -> setting));
    }
}
