package onair.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binds the {@code http} section: walks its servers and their locations, binding each directive to the
 * {@link Setting} its context allows ({@link HttpLocation}'s and {@link SslConfig}'s). Common nginx tuning directives
 * are accepted and noted as ignored; anything else is refused with {@code file:line}.
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

    private static final Set<String> BLOCKS = Set.of("server", "listen", "location", "include");
    static final Set<String> UNSUPPORTED = Set.of(
            "proxy_pass", "fastcgi_pass", "uwsgi_pass", "grpc_pass", "return", "rewrite", "try_files", "if",
            "error_page", "limit_except", "auth_basic", "upstream", "map", "geo", "split_clients", "limit_req",
            "limit_conn", "add_trailer", "satisfy");

    private final List<String> ignored;

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
            if (d.name().equals("server")) {
                ConfigBinder.requireBlock(d, 0);
                servers.add(d);
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
                default -> set(scope, d);
            }
        }
        if (listens.isEmpty()) {
            throw ConfigException.at(server, "no \"listen\" directive in \"server\" block");
        }
        SslConfig ssl = sslListen == null ? null : SslConfig.from(scope, sslListen);
        List<HttpLocation> bound = locations.values().stream().map(d -> location(d, scope)).toList();
        return new HttpServerConfig(listens, ssl, bound, scope.get(HttpServerConfig.MAX_CONNECTIONS_PER_ADDRESS));
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

    private HttpLocation location(Directive d, Scope server) {
        Scope scope = server.child(d, Context.LOCATION);
        d.block().forEach(inner -> set(scope, inner));
        return HttpLocation.from(scope);
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
