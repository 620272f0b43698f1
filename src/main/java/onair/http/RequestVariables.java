package onair.http;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.ssl.SslHandler;
import onair.config.HttpMap;
import onair.config.HttpServerConfig;

import java.net.InetSocketAddress;
import java.util.function.Function;

/**
 * The nginx variables of one request, by name without {@code $}: {@code $request_method}, {@code $uri},
 * {@code $request_uri}, {@code $args}, {@code $scheme}, {@code $host}, {@code $remote_addr}, {@code $http_NAME}
 * (a request header, {@code _} for {@code -}), {@code $arg_NAME} (a query argument as sent), {@code $cookie_NAME},
 * and the server's {@code map} variables. Unknown or unset variables are null.
 */
final class RequestVariables implements Function<String, String> {

    private static final int MAX_MAP_DEPTH = 16;

    private final HttpRequest request;
    private final String path;
    private final Channel channel;
    private final HttpServerConfig server;
    private int depth;

    RequestVariables(HttpRequest request, String path, Channel channel, HttpServerConfig server) {
        this.request = request;
        this.path = path;
        this.channel = channel;
        this.server = server;
    }

    /** The same request after an internal redirect to {@code path}. */
    RequestVariables at(String path) {
        return new RequestVariables(request, path, channel, server);
    }

    @Override
    public String apply(String name) {
        String uri = request.uri();
        int question = uri.indexOf('?');
        String args = question < 0 ? "" : uri.substring(question + 1);
        return switch (name) {
            case "request_method" -> request.method().name();
            case "uri", "document_uri" -> path;
            case "request_uri" -> uri;
            case "args", "query_string" -> args;
            case "is_args" -> question < 0 ? "" : "?";
            case "scheme" -> (channel.parent() != null ? channel.parent() : channel).pipeline().get(SslHandler.class)
                    != null ? "https" : "http";
            case "host" -> host();
            case "remote_addr" -> channel.remoteAddress() instanceof InetSocketAddress a
                    ? a.getAddress().getHostAddress() : null;
            case "remote_port" -> channel.remoteAddress() instanceof InetSocketAddress a
                    ? Integer.toString(a.getPort()) : null;
            case "server_port" -> channel.localAddress() instanceof InetSocketAddress a
                    ? Integer.toString(a.getPort()) : null;
            case "server_protocol" -> request.protocolVersion().text();
            default -> prefixed(name, args);
        };
    }

    private String prefixed(String name, String args) {
        if (name.startsWith("http_")) {
            return request.headers().get(name.substring(5).replace('_', '-'));
        }
        if (name.startsWith("arg_")) {
            String wanted = name.substring(4);
            for (String pair : args.split("&")) {
                int equals = pair.indexOf('=');
                if ((equals < 0 ? pair : pair.substring(0, equals)).equalsIgnoreCase(wanted)) {
                    return equals < 0 ? "" : pair.substring(equals + 1);
                }
            }
            return null;
        }
        if (name.startsWith("cookie_")) {
            String cookies = request.headers().get(HttpHeaderNames.COOKIE);
            for (String cookie : cookies == null ? new String[0] : cookies.split(";")) {
                int equals = cookie.indexOf('=');
                if (equals > 0 && cookie.substring(0, equals).trim().equals(name.substring(7))) {
                    return cookie.substring(equals + 1).trim();
                }
            }
            return null;
        }
        HttpMap map = server.maps().get(name);
        if (map == null || depth >= MAX_MAP_DEPTH) {
            return null;
        }
        depth++;
        try {
            return map.evaluate(this);
        } finally {
            depth--;
        }
    }

    private String host() {
        String host = request.headers().get(HttpHeaderNames.HOST);
        if (host == null || host.isEmpty()) {
            return channel.localAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : "";
        }
        int colon = host.startsWith("[") ? host.indexOf(']') + 1 : host.indexOf(':');
        return (colon > 0 && colon < host.length() ? host.substring(0, colon) : host).toLowerCase();
    }
}
