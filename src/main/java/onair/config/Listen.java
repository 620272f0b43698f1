package onair.config;

/**
 * One listening address of an RTMP server, from a {@code listen} directive.
 *
 * @param host null for all interfaces; a name, an IPv4 address or an IPv6 literal without brackets
 * @param port 0 picks a free port (an Onair extension, for tests)
 * @param ssl whether connections start with a TLS handshake (RTMPS)
 */
public record Listen(String host, int port, boolean ssl) {

    public Listen {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** A plain RTMP address. */
    public Listen(String host, int port) {
        this(host, port, false);
    }

    /** The address as nginx prints it: {@code *:1935}, {@code 127.0.0.1:1935}, {@code [::1]:1935}. */
    @Override
    public String toString() {
        String shown = host == null ? "*" : host.contains(":") ? "[" + host + "]" : host;
        return shown + ":" + port;
    }
}
