package onair.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Binds a parsed nginx configuration to {@link ServerConfig}: walks the {@code rtmp} section's blocks, binds each
 * directive to the {@link Setting} its context allows (the tables of {@link #RTMP}), and builds each block's record
 * from its {@link Scope}, merged {@code rtmp} → {@code server} → {@code application} → {@code recorder}; the
 * {@code http} section goes to {@link HttpConfigBinder}.
 */
final class ConfigBinder {

    /** Every setting of the {@code rtmp} section, each declared next to the record it fills. */
    static final Settings RTMP = Settings.of(RtmpServerConfig.SETTINGS, SslConfig.SETTINGS, AccessLogConfig.SETTINGS,
            ApplicationConfig.SETTINGS, AdmissionConfig.SETTINGS, RecordConfig.SETTINGS, HlsConfig.SETTINGS, ExecConfig.SETTINGS,
            RelayConfig.SETTINGS, DirectoryConfig.SETTINGS, DashConfig.SETTINGS, PlayConfig.SETTINGS);

    /**
     * nginx-rtmp's tuning directives that Onair checks and notes as having no effect, each with the reason: its queues
     * are bounded by frames and bytes and its access log is written at the end of each session.
     */
    static final Settings NO_EFFECT = new Settings();
    private static final Map<String, String> NO_EFFECT_REASONS = Map.of(
            "out_queue", "output queues are bounded by frames and bytes",
            "out_cork", "output is written as it comes",
            "log_interval", "access-log lines are written when a session ends",
            "log_size", "access-log lines are queued for a writer thread",
            "play_temp_path", "remote files are read with range requests, not downloaded",
            "play_local_path", "remote files are read with range requests, not downloaded");

    static {
        NO_EFFECT.value("out_queue", Context.CORE, null, v -> Units.bounded(Units.integer(v), 1, Integer.MAX_VALUE));
        NO_EFFECT.value("out_cork", Context.CORE, null, v -> Units.bounded(Units.integer(v), 1, Integer.MAX_VALUE));
        NO_EFFECT.value("log_interval", Context.APPLICATIONS, null, Units::time);
        NO_EFFECT.value("log_size", Context.APPLICATIONS, null, Units::size);
        NO_EFFECT.value("play_temp_path", Context.APPLICATIONS, null, Path::of);
        NO_EFFECT.value("play_local_path", Context.APPLICATIONS, null, Path::of);
    }

    static final Set<String> UNSUPPORTED = Set.of(
            "busy", "play_time_fix", "publish_time_fix", "so_keepalive", "server_name",
            "stream_buckets", "buffer",
            "record_interval_size",
            "on_playlist", "notify_send_redirect", "netcall_buffer");

    private static final Set<String> NGINX_MAIN = Set.of(
            "user", "worker_processes", "error_log", "events", "stream", "mail", "load_module", "env",
            "worker_rlimit_nofile", "worker_rlimit_core", "daemon", "master_process", "timer_resolution",
            "working_directory", "lock_file", "worker_cpu_affinity", "worker_priority", "worker_shutdown_timeout",
            "thread_pool", "pcre_jit", "ssl_engine", "google_perftools_profiles", "debug_points");

    private static final Set<String> ELSEWHERE = Set.of(
            "pid", "rtmp", "http", "server", "listen", "application", "include", "rtmp_stat", "rtmp_stat_stylesheet",
            "rtmp_control", "log_format", "recorder");

    private final String fileName;
    private final List<String> ignored = new ArrayList<>();
    private final Map<String, LogFormat> formats = new HashMap<>(Map.of("combined", LogFormat.COMBINED));
    private DirectoryConfig directory = DirectoryConfig.OFF;

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
            } else if (RelayConfig.AUTO_PUSH.contains(d.name())) {
                ignored.add(RelayConfig.autoPush(d));
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
        return new ServerConfig(rtmpServers, ignored, pidFile, httpServers, directory);
    }

    private List<RtmpServerConfig> rtmp(Directive rtmp) {
        for (Directive d : rtmp.block()) {
            if (d.name().equals("log_format")) {
                logFormat(d);
            }
        }
        Scope scope = Scope.root(rtmp, Context.RTMP);
        List<Directive> servers = new ArrayList<>();
        for (Directive d : rtmp.block()) {
            switch (d.name()) {
                case "server" -> {
                    requireBlock(d, 0);
                    servers.add(d);
                }
                case "log_format" -> { }
                default -> {
                    if (RelayConfig.AUTO_PUSH.contains(d.name())) {
                        ignored.add(RelayConfig.autoPush(d));
                    } else {
                        set(scope, d);
                    }
                }
            }
        }
        // the rtmp block's access_log lines are checked even when no server inherits them
        AccessLogConfig.from(scope, formats);
        directory = DirectoryConfig.from(scope);
        Set<String> addresses = new HashSet<>();
        return servers.stream().map(server -> server(server, scope, addresses)).toList();
    }

    private RtmpServerConfig server(Directive server, Scope rtmp, Set<String> addresses) {
        Scope scope = rtmp.child(server, Context.RTMP_SERVER);
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
                default -> set(scope, d);
            }
        }
        if (listens.isEmpty()) {
            throw ConfigException.at(server, "no \"listen\" directive in \"server\" block");
        }
        AccessLogConfig accessLog = AccessLogConfig.from(scope, formats);
        List<ApplicationConfig> apps = applications.stream().map(app -> application(app, scope)).toList();
        SslConfig ssl = sslListen == null ? null : SslConfig.from(scope, sslListen);
        return RtmpServerConfig.from(scope, listens, ssl, apps, accessLog);
    }

    private ApplicationConfig application(Directive app, Scope server) {
        Scope scope = server.child(app, Context.APPLICATION);
        List<Directive> recorders = new ArrayList<>();
        for (Directive d : app.block()) {
            if (d.name().equals("recorder")) {
                requireBlock(d, 1);
                recorders.add(d);
            } else {
                set(scope, d);
            }
        }
        Set<String> names = new HashSet<>();
        for (Directive recorder : recorders) {
            String name = recorder.args().getFirst();
            if (name.isEmpty() || !names.add(name)) {
                throw ConfigException.at(recorder,
                        name.isEmpty() ? "empty recorder name" : "duplicate recorder \"" + name + "\"");
            }
            Scope recorderScope = scope.child(recorder, Context.RECORDER);
            recorder.block().forEach(d -> set(recorderScope, d));
        }
        return ApplicationConfig.from(scope, AccessLogConfig.from(scope, formats));
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

    private void set(Scope scope, Directive d) {
        Optional<Setting<?>> noEffect = NO_EFFECT.find(d.name(), scope.context());
        if (noEffect.isPresent()) {
            scope.set(noEffect.get(), d);
            ignored.add(d.location() + ": directive \"" + d.name() + "\" has no effect in Onair ("
                    + NO_EFFECT_REASONS.get(d.name()) + ")");
            return;
        }
        scope.set(RTMP.find(d.name(), scope.context()).orElseThrow(() -> refused(d)), d);
    }

    private static ConfigException refused(Directive d) {
        String name = d.name();
        if (UNSUPPORTED.contains(name)) {
            return ConfigException.at(d, "directive \"" + name + "\" is not supported yet");
        }
        if (RTMP.knows(name) || NO_EFFECT.knows(name) || NGINX_MAIN.contains(name) || ELSEWHERE.contains(name)) {
            return ConfigException.at(d, "\"" + name + "\" directive is not allowed here");
        }
        return ConfigException.at(d, "unknown directive \"" + name + "\"");
    }

    static void requireBlock(Directive d, int args) {
        if (d.block() == null) {
            throw ConfigException.at(d, "directive \"" + d.name() + "\" has no opening \"{\"");
        }
        if (d.args().size() != args) {
            throw ConfigException.invalidArgumentCount(d);
        }
    }
}
