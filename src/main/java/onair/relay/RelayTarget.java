package onair.relay;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where a relay connects: {@code rtmp://host[:port]/app/name[?args]}, split as nginx-rtmp's relay does: the first
 * path segment is the application, the rest (with the query) the stream name. The host must be an IP address, as in
 * nginx-rtmp: a relay never waits for DNS on an event loop.
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
        if (!uri.getHost().startsWith("[") && !uri.getHost().matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new IllegalArgumentException("the host of " + url + " must be an IP address");
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

    /** The hex MD5 of {@code url}: the local stream name nginx-rtmp's {@code notify_relay_redirect} gives a relay. */
    public static String md5(String url) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(url.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available", e);
        }
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
