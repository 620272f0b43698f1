package onair.server;

import onair.config.ServerConfig;
import onair.stream.StreamKey;
import tools.jackson.jr.ob.JSON;
import onair.testing.RedisServer;
import onair.testing.SyntheticPublisher;
import onair.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Onair origin with {@code directory redis://…}: a published stream appears in a real Redis under its key with
 * the origin's URL, leaves it on unpublish, and publishing goes on while Redis is down.
 */
class OriginRegistrationTest {

    private static final String KEY = "onair:stream:live/cam";

    private RedisServer redis;

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterEach
    void stopRedis() throws Exception {
        redis.close();
    }

    private TestServer origin(String directives) throws InterruptedException {
        return TestServer.start("rtmp { directory " + redis.url() + " lease=2s; " + directives
            + " server { listen 127.0.0.1:0; application live { live on; } } }"
            + " http { server { listen 127.0.0.1:0; location /stat { rtmp_stat all; }"
            + " location /metrics { rtmp_metrics on; } } }");
    }

    private static String get(TestServer server, String path) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.server().httpAddresses().getFirst().getPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    @Test
    void aPublishedStreamIsRegisteredUnderTheFirstListenAddressUntilUnpublished() throws Exception {
        try (TestServer server = origin("")) {
            String url = "rtmp://127.0.0.1:" + server.address().getPort() + "/live";
            try (SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "cam", 5, 100)) {
                publisher.send(5);
                await().atMost(5, TimeUnit.SECONDS).until(() -> url.equals(redis.call("GET", KEY)));
                assertThat(server.server().directory().lookup("live", "cam").toCompletableFuture()
                    .get(5, TimeUnit.SECONDS)).contains(URI.create(url));
                assertThat(JSON.std.mapFrom(get(server, "/stat?format=json")).get("directory")).isEqualTo(Map.of(
                    "backend", "redis", "target", "redis://127.0.0.1:" + redis.port() + "/0", "up", true,
                    "leases_held", 1, "leases_waiting", 0));
                assertThat(get(server, "/metrics")).contains("onair_directory_up 1",
                    "onair_directory_leases{state=\"held\"} 1");
            }
            await().atMost(5, TimeUnit.SECONDS).until(() -> redis.call("GET", KEY) == null);
            assertThat(server.server().directory().snapshot().held()).isZero();
        }
    }

    @Test
    void anOriginListeningOnAllInterfacesAdvertisesItsHostName() throws Exception {
        try (TestServer server = TestServer.start("rtmp { directory " + redis.url() + ";"
                 + " server { listen 0; application live { live on; } } }");
             SyntheticPublisher publisher = new SyntheticPublisher(
                 new InetSocketAddress("127.0.0.1", server.address().getPort()), "live", "cam", 5, 100)) {
            String url = "rtmp://" + InetAddress.getLocalHost().getHostName() + ":" + server.address().getPort()
                + "/live";
            await().atMost(5, TimeUnit.SECONDS).until(() -> url.equals(redis.call("GET", KEY)));
        }
    }

    @Test
    void directoryAdvertiseNamesTheUrlAndOffOnlyLooksUp() throws Exception {
        try (TestServer server = origin("directory_advertise rtmp://origin.example:1940;");
             SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "cam", 5, 100)) {
            await().atMost(5, TimeUnit.SECONDS)
                .until(() -> "rtmp://origin.example:1940/live".equals(redis.call("GET", KEY)));
        }
        redis.call("SET", KEY, "rtmp://elsewhere:1935/live");
        try (TestServer edge = origin("directory_advertise off;");
             SyntheticPublisher publisher = new SyntheticPublisher(edge.address(), "live", "other", 5, 100)) {
            publisher.sync();
            assertThat(edge.server().directory().lookup("live", "cam").toCompletableFuture().get(5, TimeUnit.SECONDS))
                .contains(URI.create("rtmp://elsewhere:1935/live"));
            assertThat(redis.call("GET", "onair:stream:live/other")).isNull();
        }
    }

    @Test
    void aReloadThatChangesTheDirectoryMovesTheLiveStreamsToTheNewOne() throws Exception {
        try (TestServer server = origin("");
             SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "cam", 5, 100)) {
            String url = "rtmp://127.0.0.1:" + server.address().getPort() + "/live";
            await().atMost(5, TimeUnit.SECONDS).until(() -> url.equals(redis.call("GET", KEY)));

            server.server().reload(ServerConfig.parse("rtmp { directory " + redis.url() + " prefix=next:;"
                + " server { listen 127.0.0.1:0; application live { live on; } } }", "next.conf"));

            await().atMost(5, TimeUnit.SECONDS).until(() -> url.equals(redis.call("GET", "next:stream:live/cam")));
            assertThat(redis.call("GET", KEY)).isNull();
        }
    }

    @Test
    void publishingGoesOnWhileRedisIsDownAndRegistersWhenItIsBack() throws Exception {
        redis.kill();
        try (TestServer server = origin("");
             SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "cam", 5, 100)) {
            publisher.send(5);
            publisher.sync();
            assertThat(server.server().registry().find(new StreamKey("live", "cam"))).isPresent();

            redis.restart();

            String url = "rtmp://127.0.0.1:" + server.address().getPort() + "/live";
            await().atMost(10, TimeUnit.SECONDS).until(() -> url.equals(redis.call("GET", KEY)));
        }
    }
}
