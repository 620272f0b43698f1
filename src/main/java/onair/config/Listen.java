package onair.config;

/**
 * One listening address of an RTMP server, from a {@code listen} directive.
 *
 * @param host null for all interfaces; a name, an IPv4 address or an IPv6 literal without brackets
 * @param port 0 picks a free port (an Onair extension, for tests)
 * @param ssl whether connections start with a TLS handshake (RTMPS, HTTPS)
 * @param http2 an http {@code listen … http2} (or {@code http2 on}): HTTP/2 by ALPN under TLS, by its connection
 *              preface without it, beside HTTP/1.1
 */
public record Listen(String host, int port, boolean ssl, boolean http2) {

    public Listen {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** A plain RTMP address. */
    public Listen(String host, int port) {
        this(host, port, false, false);
    }

    /** An address with or without TLS, without HTTP/2. */
    public Listen(String host, int port, boolean ssl) {
        this(host, port, ssl, false);
    }

    /** The same address with HTTP/2 on. */
    Listen withHttp2() {
        return new Listen(host, port, ssl, true);
    }

    /** The address as nginx prints it: {@code *:1935}, {@code 127.0.0.1:1935}, {@code [::1]:1935}. */
    @Override
    public String toString() {
        String shown = host == null ? "*" : host.contains(":") ? "[" + host + "]" : host;
        return shown + ":" + port;
    }
}
