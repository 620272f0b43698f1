package onair.notify;

import com.sun.net.httpserver.HttpServer;
import onair.rtmp.message.CommandMessage;
import onair.testing.RtmpTestClient;
import onair.testing.TestHostNames;
import onair.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * nginx resolves a callback host with {@code _} (a docker-compose service such as {@code rtmp_notify}) like any
 * other name and sends it as the Host header; Onair must reach it too, though java.net.URI sees no host in it. The
 * name resolves to the loopback address in tests ({@link TestHostNames}).
 */
class UnderscoreHostCallbackTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private record Request(String host, String path, String body) {}

    private static HttpServer backend(int status, BlockingQueue<Request> requests) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                requests.add(new Request(exchange.getRequestHeaders().getFirst("Host"),
                        exchange.getRequestURI().getPath(), new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                exchange.sendResponseHeaders(status, -1);
            }
        });
        server.start();
        return server;
    }

    private static String config(HttpServer backend) {
        return "rtmp { netcall_timeout 2s; server { listen 127.0.0.1:0; application live { live on; on_publish http://"
                + TestHostNames.LOOPBACK_NAME + ":" + backend.getAddress().getPort() + "/on_publish; } } }";
    }

    @Test
    void onPublishAtADockerComposeServiceNameIsCalledWithThatNameAsHostAndItsAnswerDecides() throws Exception {
        BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
        HttpServer backend = backend(200, requests);
        try (TestServer server = TestServer.start(config(backend));
             RtmpTestClient client = RtmpTestClient.open(server.address())) {
            client.connect("live");
            CommandMessage status = client.publish(client.createStream(), "key");

            assertThat(RtmpTestClient.code(status)).isEqualTo("NetStream.Publish.Start");
            Request request = requests.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(request).isNotNull();
            assertThat(request.host()).isEqualTo(TestHostNames.LOOPBACK_NAME + ":" + backend.getAddress().getPort());
            assertThat(request.path()).isEqualTo("/on_publish");
            assertThat(request.body()).contains("call=publish").contains("name=key");
        } finally {
            backend.stop(0);
        }
    }

    @Test
    void aRefusalFromADockerComposeServiceNameRefusesThePublish() throws Exception {
        HttpServer backend = backend(403, new LinkedBlockingQueue<>());
        try (TestServer server = TestServer.start(config(backend));
             RtmpTestClient client = RtmpTestClient.open(server.address())) {
            client.connect("live");
            CommandMessage status = client.publish(client.createStream(), "key");

            assertThat(RtmpTestClient.code(status)).isEqualTo("NetStream.Publish.BadName");
            assertThat(client.awaitClosed(WAIT)).isTrue();
        } finally {
            backend.stop(0);
        }
    }
}
