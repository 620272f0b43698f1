package onair.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Binds the {@code http} section: its {@code map}s, then its servers and their (nested) locations, binding each
 * directive to the {@link Setting} its context allows ({@link HttpLocation}'s, {@link HttpServerConfig}'s and
 * {@link SslConfig}'s), and the rewrite directives ({@code return}, {@code if}) to {@link HttpRule}s in file order.
 * Common nginx tuning directives are accepted and noted as ignored; anything else is refused with {@code file:line}.
 */
final class HttpConfigBinder {

    static final int DEFAULT_PORT = 80;

    static final Settings HTTP = Settings.of(SslConfig.SETTINGS, HttpServerConfig.SETTINGS, HttpLocation.SETTINGS);

    /** nginx http directives that Onair accepts and ignores, with one note each. */
    static final Set<String> IGNORED = Set.of(
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

    private static final Set<String> BLOCKS = Set.of("server", "listen", "location", "include", "return", "if", "map");
    static final Set<String> UNSUPPORTED = Set.of(
            "proxy_pass", "fastcgi_pass", "uwsgi_pass", "grpc_pass", "rewrite", "set", "break",
            "limit_except", "auth_basic", "upstream", "geo", "split_clients", "limit_req",
            "limit_conn", "add_trailer", "satisfy");

    private final List<String> ignored;
    private final Set<String> mapNames = new HashSet<>();
    private final Map<String, HttpMap> maps = new HashMap<>();

    private HttpConfigBinder(List<String> ignored) {
        this.ignored = ignored;
    }

    static List<HttpServerConfig> bind(Directive http, List<String> ignored) {
        return new HttpConfigBinder(ignored).http(http);
    }

    private List<HttpServerConfig> http(Directive http) {
        Scope scope = Scope.root(http, Context.HTTP);
        List<Directive> servers = new ArrayList<>();
        for (Directive d : http.block()) {
            if (d.name().equals("map")) {
                if (!mapNames.add(HttpMap.name(d))) {
                    throw ConfigException.at(d, "the duplicate \"" + HttpMap.name(d) + "\" variable");
                }
            }
        }
        for (Directive d : http.block()) {
            if (d.name().equals("server")) {
                ConfigBinder.requireBlock(d, 0);
                servers.add(d);
            } else if (d.name().equals("map")) {
                HttpMap map = HttpMap.bind(d, mapNames);
                maps.put(map.name(), map);
            } else {
                set(scope, d);
            }
        }
        Set<String> addresses = new HashSet<>();
        return servers.stream().map(server -> server(server, scope, addresses)).toList();
    }

    private HttpServerConfig server(Directive server, Scope http, Set<String> addresses) {
        Scope scope = http.child(server, Context.HTTP_SERVER);
        List<Listen> listens = new ArrayList<>();
        Directive sslListen = null;
        Map<String, Directive> locations = new LinkedHashMap<>();
        List<HttpRule> rules = new ArrayList<>();
        for (Directive d : server.block()) {
            switch (d.name()) {
                case "return" -> rules.add(returnRule(d));
                case "if" -> rules.add(ifRule(d, false));
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
                default -> set(scope, d);
            }
        }
        if (listens.isEmpty()) {
            throw ConfigException.at(server, "no \"listen\" directive in \"server\" block");
        }
        SslConfig ssl = sslListen == null ? null : SslConfig.from(scope, sslListen);
        if (scope.get(HttpServerConfig.HTTP2)) {
            listens.replaceAll(Listen::withHttp2);
        }
        List<HttpLocation> bound = new ArrayList<>();
        Map<String, HttpLocation> named = new HashMap<>();
        for (Directive d : locations.values()) {
            HttpLocation location = location(d, scope, null);
            if (location.match() == HttpLocation.Match.NAMED) {
                named.put(location.path(), location);
            } else {
                bound.add(location);
            }
        }
        HttpLocation unmatched = HttpLocation.unmatched(scope);
        checkNames(server, named.keySet());
        return new HttpServerConfig(listens, ssl, bound, scope.get(HttpServerConfig.MAX_CONNECTIONS_PER_ADDRESS),
                rules, scope.get(HttpLocation.ERROR_PAGES), maps, named, unmatched);
    }

    /** Refuses a {@code try_files} or {@code error_page} of {@code block} or its locations naming no named location. */
    private static void checkNames(Directive block, Set<String> names) {
        for (Directive d : block.block()) {
            boolean refers = d.name().equals("try_files") || d.name().equals("error_page");
            if (refers && !d.args().isEmpty() && d.args().getLast().startsWith("@")
                    && !names.contains(d.args().getLast())) {
                throw ConfigException.at(d, "no named location \"" + d.args().getLast() + "\" in this server");
            }
            if (d.name().equals("location") && d.block() != null) {
                checkNames(d, names);
            }
        }
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
            case "", "=", "^~", "~", "~*" -> { }
            default -> throw ConfigException.at(d, "invalid location modifier \"" + modifier + "\"");
        }
        if (path.startsWith("@")) {
            if (!modifier.isEmpty() || path.length() == 1) {
                throw ConfigException.at(d, "invalid location \"" + String.join(" ", d.args()) + "\"");
            }
            return path;
        }
        if (modifier.startsWith("~")) {
            return modifier + path;
        }
        if (!path.startsWith("/")) {
            throw ConfigException.at(d, "invalid location \"" + path + "\", it must start with \"/\"");
        }
        return (modifier.equals("=") ? "=" : "") + path;
    }

    private static HttpLocation.Match match(Directive d) {
        if (d.args().getLast().startsWith("@")) {
            return HttpLocation.Match.NAMED;
        }
        return switch (d.args().size() == 2 ? d.args().getFirst() : "") {
            case "=" -> HttpLocation.Match.EXACT;
            case "^~" -> HttpLocation.Match.PREFIX_NO_REGEX;
            case "~", "~*" -> HttpLocation.Match.REGEX;
            default -> HttpLocation.Match.PREFIX;
        };
    }

    /** A location and, as nginx allows them, the locations nested in it (a prefix one inside its parent's path). */
    private HttpLocation location(Directive d, Scope outer, Directive parent) {
        HttpLocation.Match match = match(d);
        if (parent != null && (match == HttpLocation.Match.NAMED || match(parent) == HttpLocation.Match.NAMED)) {
            throw ConfigException.at(d, match == HttpLocation.Match.NAMED
                    ? "named location \"" + d.args().getLast() + "\" can be on the server level only"
                    : "location \"" + d.args().getLast() + "\" could not be inside the named location \""
                            + parent.args().getLast() + "\"");
        }
        if (parent != null) {
            String parentPath = parent.args().getLast();
            if (match(parent) == HttpLocation.Match.EXACT) {
                throw ConfigException.at(d, "location \"" + d.args().getLast()
                        + "\" cannot be inside the exact location \"" + parentPath + "\"");
            }
            if (match != HttpLocation.Match.REGEX && !d.args().getLast().startsWith(parentPath)) {
                throw ConfigException.at(d, "location \"" + d.args().getLast() + "\" is outside location \""
                        + parentPath + "\"");
            }
        }
        Pattern regex = match == HttpLocation.Match.REGEX
                ? HttpCondition.regex(d, d.args().getLast(), d.args().getFirst().equals("~*")) : null;
        Scope scope = outer.child(d, Context.LOCATION);
        Map<String, Directive> nested = new LinkedHashMap<>();
        List<HttpRule> rules = new ArrayList<>();
        for (Directive inner : d.block()) {
            switch (inner.name()) {
                case "location" -> {
                    if (nested.putIfAbsent(locationKey(inner), inner) != null) {
                        throw ConfigException.at(inner, "duplicate location \"" + inner.args().getLast() + "\"");
                    }
                }
                case "return" -> rules.add(returnRule(inner));
                case "if" -> rules.add(ifRule(inner, true));
                default -> set(scope, inner);
            }
        }
        if (match == HttpLocation.Match.REGEX && scope.has(HttpLocation.ALIAS)) {
            throw ConfigException.at(scope.where(HttpLocation.ALIAS).orElseThrow(),
                    "\"alias\" in a regular expression location is not supported yet");
        }
        List<HttpLocation> children = nested.values().stream().map(inner -> location(inner, scope, d)).toList();
        return HttpLocation.from(scope, match, regex, rules, children);
    }

    /** {@code return CODE [TEXT]}, {@code return CODE URL} or {@code return URL}. */
    private HttpRule.Return returnRule(Directive d) {
        if (d.block() != null) {
            throw ConfigException.at(d, "directive \"return\" is not terminated by \";\"");
        }
        if (d.args().isEmpty() || d.args().size() > 2) {
            throw ConfigException.invalidArgumentCount(d);
        }
        d.args().forEach(arg -> HttpValue.check(d, arg, mapNames));
        String first = d.args().getFirst();
        if (d.args().size() == 1 && !first.chars().allMatch(Character::isDigit)) {
            if (!first.startsWith("http://") && !first.startsWith("https://") && !first.startsWith("$scheme")) {
                throw ConfigException.at(d, "invalid return code \"" + first + "\"");
            }
            return new HttpRule.Return(302, HttpValue.of(first));
        }
        int code = HttpLocation.code(d, first, 0, "invalid return code \"" + first + "\"");
        return new HttpRule.Return(code, d.args().size() == 2 ? HttpValue.of(d.args().get(1)) : null);
    }

    /** {@code if (CONDITION) { … }}: {@code return} anywhere, {@code add_header} too in a location. */
    private HttpRule.If ifRule(Directive d, boolean inLocation) {
        if (d.block() == null) {
            throw ConfigException.at(d, "directive \"if\" has no opening \"{\"");
        }
        HttpCondition condition = HttpCondition.parse(d, mapNames);
        List<HttpLocation.Header> headers = new ArrayList<>();
        HttpRule.Return result = null;
        for (Directive inner : d.block()) {
            if (inner.name().equals("return") && result == null) {
                result = returnRule(inner);
            } else if (inner.name().equals("add_header") && inLocation) {
                if (inner.block() != null || inner.args().size() < 2 || inner.args().size() > 3) {
                    throw ConfigException.invalidArgumentCount(inner);
                }
                inner.args().forEach(arg -> HttpValue.check(inner, arg, mapNames));
                headers.add(HttpLocation.header(inner));
            } else if (inner.name().equals("return")) {
                ignored.add(inner.location() + ": a second \"return\" in an \"if\" block is never reached");
            } else {
                throw inner.name().equals("if") || HTTP.knows(inner.name()) || IGNORED.contains(inner.name())
                        ? ConfigException.at(inner, "\"" + inner.name() + "\" directive is not allowed here")
                        : refused(inner);
            }
        }
        return new HttpRule.If(condition, headers, result);
    }

    private void set(Scope scope, Directive d) {
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
        Setting<?> setting = HTTP.find(name, scope.context()).orElseThrow(() -> refused(d));
        if (setting == HttpLocation.HEADERS || setting == HttpLocation.TRY_FILES) {
            d.args().forEach(arg -> HttpValue.check(d, arg, mapNames));
        }
        scope.set(setting, d);
        if (setting == HttpLocation.ROOT && scope.has(HttpLocation.ALIAS)) {
            throw ConfigException.at(d, "\"root\" directive is duplicate, \"alias\" directive was specified earlier");
        }
        if (setting == HttpLocation.ALIAS && scope.has(HttpLocation.ROOT)) {
            throw ConfigException.at(d, "\"alias\" directive is duplicate, \"root\" directive was specified earlier");
        }
    }

    private static ConfigException refused(Directive d) {
        String name = d.name();
        if (UNSUPPORTED.contains(name)) {
            return ConfigException.at(d, "directive \"" + name + "\" is not supported yet");
        }
        if (HTTP.knows(name) || BLOCKS.contains(name)) {
            return ConfigException.at(d, "\"" + name + "\" directive is not allowed here");
        }
        return ConfigException.at(d, "unknown directive \"" + name + "\"");
    }
}
