package onair.relay;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where a relay connects: {@code rtmp://host[:port]/app/name[?args]}, split as nginx-rtmp's relay does: the first
 * path segment is the application, the rest (with the query) the stream name.
 */
public record RelayTarget(String host, int port, String app, String name) {

    /** Parses an {@code rtmp://} URL; a missing port is 1935. */
    public static RelayTarget parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not an rtmp URL: " + url);
        }
        if (!"rtmp".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getRawPath() == null) {
            throw new IllegalArgumentException("not an rtmp://host/app/name URL: " + url);
        }
        String path = uri.getRawPath().startsWith("/") ? uri.getRawPath().substring(1) : uri.getRawPath();
        int slash = path.indexOf('/');
        if (slash <= 0 || slash == path.length() - 1) {
            throw new IllegalArgumentException("no application and stream name in " + url);
        }
        String name = path.substring(slash + 1) + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return new RelayTarget(uri.getHost(), uri.getPort() < 0 ? 1935 : uri.getPort(), path.substring(0, slash),
            name);
    }

    /** The tcUrl sent in {@code connect}. */
    public String tcUrl() {
        return "rtmp://" + host + ":" + port + "/" + app;
    }

    @Override
    public String toString() {
        return tcUrl() + "/" + name;
    }
}
