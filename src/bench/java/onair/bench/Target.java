package onair.bench;

import java.net.URI;

/** Where a player or publisher connects: {@code rtmp://host[:port]/app/stream}, the stream after the last slash. */
record Target(String host, int port, String app, String stream) {

    static Target parse(String url) {
        URI uri = URI.create(url);
        if (!"rtmp".equals(uri.getScheme()) || uri.getHost() == null || uri.getPath() == null) {
            throw new IllegalArgumentException("not an rtmp://host/app/stream URL: " + url);
        }
        String path = uri.getPath().substring(1);
        int slash = path.lastIndexOf('/');
        if (slash <= 0 || slash == path.length() - 1) {
            throw new IllegalArgumentException("the URL needs an application and a stream name: " + url);
        }
        return new Target(uri.getHost(), uri.getPort() < 0 ? 1935 : uri.getPort(), path.substring(0, slash),
            path.substring(slash + 1));
    }

    Target withStream(String name) {
        return new Target(host, port, app, name);
    }

    String tcUrl() {
        return "rtmp://" + host + ":" + port + "/" + app;
    }
}
