package onair.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Binds the {@code http} section: servers, their locations, and the subset of nginx's http directives Onair serves
 * (root, alias, types, default_type, add_header, allow/deny, flv_live, rtmp_stat, rtmp_control, TLS). Common nginx
 * tuning directives are accepted and noted as ignored; anything else is refused with {@code file:line}.
 */
final class HttpConfigBinder {

    private enum Context { HTTP, SERVER, LOCATION }

    /** The settings one level defines; null or empty means "inherit from the level above". */
    private static final class Level {
        final Level parent;
        Path root;
        Path alias;
        Map<String, String> types;
        String defaultType;
        List<HttpLocation.Header> headers = new ArrayList<>();
        List<AccessRule> access = new ArrayList<>();
        Path certificate;
        Directive certificateDirective;
        Path certificateKey;
        Directive certificateKeyDirective;
        List<String> sslProtocols;
        List<String> sslCiphers;
        boolean flvLive;
        List<String> rtmpStat = List.of();
        String statStylesheet;
        List<String> rtmpControl = List.of();
        boolean rtmpMetrics;
        final Set<String> seen = new HashSet<>();

        Level(Level parent) {
            this.parent = parent;
        }

        <T> T inherited(Function<Level, T> field) {
            for (Level level = this; level != null; level = level.parent) {
                T value = field.apply(level);
                if (value != null) {
                    return value;
                }
            }
            return null;
        }

        <T> List<T> inheritedList(Function<Level, List<T>> field) {
            for (Level level = this; level != null; level = level.parent) {
                if (!field.apply(level).isEmpty()) {
                    return field.apply(level);
                }
            }
            return List.of();
        }
    }

    static final int DEFAULT_PORT = 80;

    /** nginx http directives that Onair accepts and ignores, with one note each. */
    private static final Set<String> IGNORED = Set.of(
            "sendfile", "sendfile_max_chunk", "tcp_nopush", "tcp_nodelay", "keepalive_timeout",
            "keepalive_requests", "server_name", "access_log", "error_log", "log_format", "gzip", "gzip_types",
            "gzip_vary", "gzip_min_length", "gzip_comp_level", "gzip_proxied", "gzip_disable", "gzip_http_version",
            "gzip_buffers", "charset", "charset_types", "source_charset", "client_max_body_size",
            "client_body_buffer_size", "client_header_buffer_size", "large_client_header_buffers",
            "client_header_timeout", "client_body_timeout", "send_timeout", "reset_timedout_connection", "index",
            "expires", "server_tokens", "types_hash_max_size", "types_hash_bucket_size",
            "server_names_hash_bucket_size", "server_names_hash_max_size", "autoindex", "etag",
            "if_modified_since", "open_file_cache", "open_file_cache_valid", "open_file_cache_min_uses",
            "open_file_cache_errors", "aio", "directio", "output_buffers", "postpone_output", "lingering_close",
            "lingering_time", "lingering_timeout", "ssl_session_cache", "ssl_session_timeout", "ssl_session_tickets",
            "ssl_prefer_server_ciphers", "ssl_dhparam", "ssl_ecdh_curve", "ssl_stapling", "ssl_stapling_verify",
            "resolver", "resolver_timeout");

    private static final List<String> STAT_SECTIONS = List.of("all", "global", "live", "clients");
    private static final List<String> CONTROL_SECTIONS = List.of("all", "drop", "redirect", "record");

    private static final Set<String> KNOWN = Set.of(
            "server", "listen", "location", "root", "alias", "types", "default_type", "add_header", "allow", "deny",
            "flv_live", "chunked_transfer_encoding", "rtmp_stat", "rtmp_stat_stylesheet", "rtmp_control",
            "rtmp_metrics", "ssl_certificate", "ssl_certificate_key", "ssl_protocols", "ssl_ciphers", "include");
    private static final Set<String> UNSUPPORTED = Set.of(
            "proxy_pass", "fastcgi_pass", "uwsgi_pass", "grpc_pass", "return", "rewrite", "try_files", "if",
            "error_page", "limit_except", "auth_basic", "upstream", "map", "geo", "split_clients", "limit_req",
            "limit_conn", "add_trailer", "satisfy");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private final List<String> ignored;

    private HttpConfigBinder(List<String> ignored) {
        this.ignored = ignored;
    }

    static List<HttpServerConfig> bind(Directive http, List<String> ignored) {
        return new HttpConfigBinder(ignored).http(http);
    }

    private List<HttpServerConfig> http(Directive http) {
        Level level = new Level(null);
        List<Directive> servers = new ArrayList<>();
        for (Directive d : http.block()) {
            if (d.name().equals("server")) {
                requireBlock(d, 0);
                servers.add(d);
            } else {
                set(d, Context.HTTP, level);
            }
        }
        Set<String> addresses = new HashSet<>();
        return servers.stream().map(server -> server(server, level, addresses)).toList();
    }

    private HttpServerConfig server(Directive server, Level http, Set<String> addresses) {
        Level level = new Level(http);
        List<Listen> listens = new ArrayList<>();
        Directive sslListen = null;
        Map<String, Directive> locations = new LinkedHashMap<>();
        for (Directive d : server.block()) {
            switch (d.name()) {
                case "listen" -> {
                    Listen listen = ListenParser.parse(d, ignored, DEFAULT_PORT);
                    if (listen.port() != 0 && !addresses.add(listen.toString())) {
                        throw ConfigException.at(d, "duplicate \"" + listen
                                + "\" address and port pair (server_name is not supported yet)");
                    }
                    listens.add(listen);
                    if (listen.ssl() && sslListen == null) {
                        sslListen = d;
                    }
                }
                case "location" -> {
                    String key = locationKey(d);
                    if (locations.putIfAbsent(key, d) != null) {
                        throw ConfigException.at(d, "duplicate location \"" + d.args().getLast() + "\"");
                    }
                }
                default -> set(d, Context.SERVER, level);
            }
        }
        if (listens.isEmpty()) {
            throw ConfigException.at(server, "no \"listen\" directive in \"server\" block");
        }
        SslConfig ssl = sslListen == null ? null : ssl(sslListen, level);
        List<HttpLocation> bound = locations.values().stream().map(d -> location(d, level)).toList();
        return new HttpServerConfig(listens, ssl, bound);
    }

    private static String locationKey(Directive d) {
        if (d.block() == null) {
            throw ConfigException.at(d, "directive \"location\" has no opening \"{\"");
        }
        if (d.args().isEmpty() || d.args().size() > 2) {
            throw ConfigException.invalidArgumentCount(d);
        }
        String modifier = d.args().size() == 2 ? d.args().getFirst() : "";
        String path = d.args().getLast();
        switch (modifier) {
            case "", "=", "^~" -> { }
            case "~", "~*" -> throw ConfigException.at(d, "regular expression locations are not supported yet");
            default -> throw ConfigException.at(d, "invalid location modifier \"" + modifier + "\"");
        }
        if (path.startsWith("@")) {
            throw ConfigException.at(d, "named locations are not supported yet");
        }
        if (!path.startsWith("/")) {
            throw ConfigException.at(d, "invalid location \"" + path + "\", it must start with \"/\"");
        }
        return (modifier.equals("=") ? "=" : "") + path;
    }

    private HttpLocation location(Directive d, Level server) {
        Level level = new Level(server);
        for (Directive inner : d.block()) {
            set(inner, Context.LOCATION, level);
        }
        int contents = (level.flvLive ? 1 : 0) + (level.rtmpStat.isEmpty() ? 0 : 1)
                + (level.rtmpControl.isEmpty() ? 0 : 1) + (level.rtmpMetrics ? 1 : 0)
                + (level.alias != null || level.root != null ? 1 : 0);
        if (contents > 1) {
            throw ConfigException.at(d, "location \"" + d.args().getLast()
                    + "\" has more than one of root/alias, flv_live, rtmp_stat, rtmp_control and rtmp_metrics");
        }
        if (level.statStylesheet != null && level.rtmpStat.isEmpty()) {
            throw ConfigException.at(d, "\"rtmp_stat_stylesheet\" without \"rtmp_stat\" in location \""
                    + d.args().getLast() + "\"");
        }
        Path root = level.alias != null ? null : level.inherited(l -> l.root);
        Map<String, String> types = level.inherited(l -> l.types);
        String defaultType = level.inherited(l -> l.defaultType);
        return new HttpLocation(d.args().getLast(), d.args().getFirst().equals("=") && d.args().size() == 2, root,
                level.alias, types == null ? HttpLocation.DEFAULT_TYPES : types, defaultType == null ? HttpLocation.DEFAULT_TYPE : defaultType,
                level.inheritedList(l -> l.headers), level.inheritedList(l -> l.access), level.flvLive,
                level.rtmpStat, level.statStylesheet, level.rtmpControl, level.rtmpMetrics);
    }

    private void set(Directive d, Context context, Level level) {
        String name = d.name();
        if (IGNORED.contains(name)) {
            ignored.add(d.location() + ": directive \"" + name + "\" is ignored (not supported yet)");
            return;
        }
        if (name.equals("include")) {
            ignored.add(d.location() + ": \"include " + String.join(" ", d.args())
                    + "\" is ignored: no such file (Onair has built-in types)");
            return;
        }
        if (name.equals("types")) {
            requireBlock(d, 0);
            once(d, level);
            level.types = types(d);
            return;
        }
        if (!allowedIn(name, context)) {
            throw refused(d);
        }
        if (d.block() != null) {
            throw ConfigException.at(d, "directive \"" + name + "\" is not terminated by \";\"");
        }
        switch (name) {
            case "root" -> {
                args(d, 1);
                once(d, level);
                if (level.alias != null) {
                    throw ConfigException.at(d, "\"root\" directive is duplicate, \"alias\" directive was specified earlier");
                }
                level.root = relativeToFile(d, d.args().getFirst());
            }
            case "alias" -> {
                args(d, 1);
                once(d, level);
                if (level.root != null) {
                    throw ConfigException.at(d, "\"alias\" directive is duplicate, \"root\" directive was specified earlier");
                }
                level.alias = relativeToFile(d, d.args().getFirst());
            }
            case "default_type" -> {
                args(d, 1);
                once(d, level);
                level.defaultType = d.args().getFirst();
            }
            case "add_header" -> level.headers.add(header(d));
            case "allow", "deny" -> {
                args(d, 1);
                level.access.add(accessRule(d));
            }
            case "flv_live" -> {
                args(d, 1);
                once(d, level);
                level.flvLive = flag(d);
            }
            case "chunked_transfer_encoding" -> {
                args(d, 1);
                flag(d);
            }
            case "rtmp_stat" -> {
                once(d, level);
                level.rtmpStat = sections(d, STAT_SECTIONS);
            }
            case "rtmp_stat_stylesheet" -> {
                args(d, 1);
                once(d, level);
                level.statStylesheet = d.args().getFirst();
            }
            case "rtmp_control" -> {
                once(d, level);
                level.rtmpControl = sections(d, CONTROL_SECTIONS);
            }
            case "rtmp_metrics" -> {
                args(d, 1);
                once(d, level);
                level.rtmpMetrics = flag(d);
            }
            case "ssl_certificate" -> {
                args(d, 1);
                once(d, level);
                level.certificate = relativeToFile(d, d.args().getFirst());
                level.certificateDirective = d;
            }
            case "ssl_certificate_key" -> {
                args(d, 1);
                once(d, level);
                level.certificateKey = relativeToFile(d, d.args().getFirst());
                level.certificateKeyDirective = d;
            }
            case "ssl_protocols" -> {
                once(d, level);
                level.sslProtocols = parse(d, Units::sslProtocols);
            }
            case "ssl_ciphers" -> {
                args(d, 1);
                once(d, level);
                level.sslCiphers = parse(d, Units::sslCiphers);
            }
            default -> throw refused(d);
        }
    }

    /** The arguments of {@code rtmp_stat} or {@code rtmp_control}, each one of {@code allowed}. */
    private static List<String> sections(Directive d, List<String> allowed) {
        if (d.args().isEmpty()) {
            throw ConfigException.invalidArgumentCount(d);
        }
        for (String section : d.args()) {
            if (!allowed.contains(section)) {
                throw ConfigException.invalidValue(d, section, "it must be one or more of \"" + String.join("\", \"", allowed) + "\"");
            }
        }
        return List.copyOf(d.args());
    }

    private static boolean allowedIn(String name, Context context) {
        return switch (name) {
            case "flv_live", "rtmp_stat", "rtmp_stat_stylesheet", "rtmp_control", "rtmp_metrics", "alias" ->
                    context == Context.LOCATION;
            case "ssl_certificate", "ssl_certificate_key", "ssl_protocols", "ssl_ciphers" -> context != Context.LOCATION;
            case "root", "default_type", "add_header", "allow", "deny", "chunked_transfer_encoding" -> true;
            default -> false;
        };
    }

    private static ConfigException refused(Directive d) {
        String name = d.name();
        if (UNSUPPORTED.contains(name)) {
            return ConfigException.at(d, "directive \"" + name + "\" is not supported yet");
        }
        if (KNOWN.contains(name)) {
            return ConfigException.at(d, "\"" + name + "\" directive is not allowed here");
        }
        return ConfigException.at(d, "unknown directive \"" + name + "\"");
    }

    private static Map<String, String> types(Directive d) {
        Map<String, String> types = new HashMap<>();
        for (Directive line : d.block()) {
            if (line.block() != null || line.args().isEmpty()) {
                throw ConfigException.at(line, "invalid types line \"" + line.name() + "\"");
            }
            for (String extension : line.args()) {
                types.put(extension.toLowerCase(Locale.ROOT), line.name());
            }
        }
        return types;
    }

    private static HttpLocation.Header header(Directive d) {
        if (d.args().size() < 2 || d.args().size() > 3) {
            throw ConfigException.invalidArgumentCount(d);
        }
        String name = d.args().get(0);
        String value = d.args().get(1);
        if (!HEADER_NAME.matcher(name).matches()) {
            throw ConfigException.invalidValue(d, name, "not a header name");
        }
        if (value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7F)) {
            throw ConfigException.invalidValue(d, value, "control characters in a header value");
        }
        if (d.args().size() == 3 && !d.args().get(2).equals("always")) {
            throw ConfigException.invalidValue(d, d.args().get(2), "it must be \"always\"");
        }
        return new HttpLocation.Header(name, value, d.args().size() == 3);
    }

    /** {@code allow}/{@code deny ADDRESS|CIDR|all} of nginx's http access module: one argument, both actions. */
    private static AccessRule accessRule(Directive d) {
        String value = d.args().getFirst();
        if (value.startsWith("unix:")) {
            throw ConfigException.at(d, "\"unix:\" in \"" + d.name() + "\" directive is not supported yet");
        }
        try {
            return AccessRule.parse(d.name().equals("allow"), List.of(value));
        } catch (IllegalArgumentException e) {
            throw ConfigException.invalidValue(d, value, e.getMessage());
        }
    }

    private SslConfig ssl(Directive listen, Level level) {
        Path certificate = level.inherited(l -> l.certificate);
        Path key = level.inherited(l -> l.certificateKey);
        if (certificate == null) {
            throw ConfigException.at(listen, "no \"ssl_certificate\" is defined for the \"listen ... ssl\" directive");
        }
        if (key == null) {
            throw ConfigException.at(listen, "no \"ssl_certificate_key\" is defined for certificate \"" + certificate + "\"");
        }
        List<String> protocols = level.inherited(l -> l.sslProtocols);
        List<String> ciphers = level.inherited(l -> l.sslCiphers);
        return SslConfig.load(certificate, level.inherited(l -> l.certificateDirective), key,
                level.inherited(l -> l.certificateKeyDirective),
                protocols == null ? List.of("TLSv1.2", "TLSv1.3") : protocols, ciphers == null ? List.of() : ciphers);
    }

    private static <T> T parse(Directive d, Function<String, T> parser) {
        if (d.args().isEmpty()) {
            throw ConfigException.invalidArgumentCount(d);
        }
        String value = String.join(" ", d.args());
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw ConfigException.invalidValue(d, value, e.getMessage());
        }
    }

    private static boolean flag(Directive d) {
        return parse(d, Units::flag);
    }

    private static void once(Directive d, Level level) {
        if (!level.seen.add(d.name())) {
            throw ConfigException.at(d, "\"" + d.name() + "\" directive is duplicate");
        }
    }

    private static void args(Directive d, int count) {
        if (d.args().size() != count) {
            throw ConfigException.invalidArgumentCount(d);
        }
    }

    private static void requireBlock(Directive d, int args) {
        if (d.block() == null) {
            throw ConfigException.at(d, "directive \"" + d.name() + "\" has no opening \"{\"");
        }
        if (d.args().size() != args) {
            throw ConfigException.invalidArgumentCount(d);
        }
    }

    private static Path relativeToFile(Directive d, String path) {
        return Path.of(d.file()).toAbsolutePath().getParent().resolve(path).normalize();
    }
}
