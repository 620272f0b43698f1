package onair.testing;

import onair.config.ServerConfig;
import onair.server.MediaServer;

import java.net.InetSocketAddress;

/** An in-process Onair on an ephemeral loopback port, configured with nginx-style text. */
public final class TestServer implements AutoCloseable {

    /** The seed configuration of nginx-rtmp users, on an ephemeral port. */
    public static final String SEED = "rtmp { server { listen 127.0.0.1:0; chunk_size 4000; application live { live on; } } }";

    private final MediaServer server;

    private TestServer(String config) throws InterruptedException {
        server = new MediaServer(ServerConfig.parse(config, "test.conf")).start();
    }

    public static TestServer start(String config) throws InterruptedException {
        return new TestServer(config);
    }

    public static TestServer start() throws InterruptedException {
        return new TestServer(SEED);
    }

    public InetSocketAddress address() {
        return server.rtmpAddresses().getFirst();
    }

    /** The bound address of the {@code index}th {@code listen}, counting across servers in configuration order. */
    public InetSocketAddress address(int index) {
        return server.rtmpAddresses().get(index);
    }

    public String url(String app, String name) {
        return "rtmp://127.0.0.1:" + address().getPort() + "/" + app + "/" + name;
    }

    public MediaServer server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
    }
}
