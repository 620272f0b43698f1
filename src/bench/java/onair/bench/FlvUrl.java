package onair.bench;

import java.net.URI;

/**
 * Where an HTTP-FLV player connects: {@code http://host[:port]/dir/STREAM.flv[?query]}, the stream being the file
 * name without {@code .flv} (Onair's and nginx-http-flv-module's {@code flv_live} URLs).
 */
record FlvUrl(String host, int port, String directory, String stream, String query) {

    static FlvUrl parse(String url) {
        URI uri = URI.create(url);
        String path = uri.getRawPath();
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null || path == null || !path.endsWith(".flv")) {
            throw new IllegalArgumentException("not an http://host/dir/stream.flv URL: " + url);
        }
        int slash = path.lastIndexOf('/');
        String stream = path.substring(slash + 1, path.length() - 4);
        if (stream.isEmpty()) {
            throw new IllegalArgumentException("the URL needs a stream name before .flv: " + url);
        }
        return new FlvUrl(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort(), path.substring(0, slash + 1), stream,
            uri.getRawQuery());
    }

    FlvUrl withStream(String name) {
        return new FlvUrl(host, port, directory, name, query);
    }

    /** The HTTP/1.1 request for this stream. */
    String request() {
        return "GET " + directory + stream + ".flv" + (query == null ? "" : "?" + query) + " HTTP/1.1\r\nHost: " + host
            + ":" + port + "\r\nUser-Agent: onair-bench\r\nAccept: */*\r\n\r\n";
    }
}
