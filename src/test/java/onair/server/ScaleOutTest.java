package onair.server;

import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.testing.RedisServer;
import onair.testing.SyntheticPublisher;
import onair.testing.TestPlayer;
import onair.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.jr.ob.JSON;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 12's scale-out: a real Redis, two origins registering their streams there (one a separate JVM, so that it
 * can die by SIGKILL) and two edges with {@code directory_pull on}. A player waiting on an edge for a stream gets it
 * once it is published; a stream published to either origin plays from both edges; when the origin holding a stream
 * is killed its lease expires, and the stream republished to the other origin reaches the players that waited on the
 * edges and new ones.
 */
class ScaleOutTest {

    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final Duration PULL_BACKOFF_CAP = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private RedisServer redis;
    private Process killed;

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (killed != null) {
            killed.destroyForcibly().waitFor();
        }
        redis.close();
    }

    private String directory() {
        return "directory " + redis.url() + " lease=" + LEASE.toSeconds() + "s;";
    }

    private TestServer origin() throws InterruptedException {
        return TestServer.start("rtmp { " + directory()
            + " server { listen 127.0.0.1:0; application live { live on; } } }");
    }

    private TestServer edge() throws InterruptedException {
        return TestServer.start("rtmp { " + directory() + " directory_advertise off;"
            + " server { listen 127.0.0.1:0;"
            + " application live { live on; directory_pull on; pull_reconnect 200ms; } } }"
            + " http { server { listen 127.0.0.1:0; location /stat { rtmp_stat all; } } }");
    }

    /** An origin in a JVM of its own, running {@code onair -c FILE}, once it listens. */
    private InetSocketAddress originProcess() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path config = dir.resolve("origin.conf");
        Files.writeString(config, "pid " + dir.resolve("origin.pid") + ";\nrtmp {\n    " + directory()
            + "\n    server { listen 127.0.0.1:" + port + "; application live { live on; } }\n}\n");
        Path log = dir.resolve("origin.log");
        killed = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), "onair.Main", "-c", config.toString())
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            assertThat(killed.isAlive()).as("origin process: %s", Files.readString(log)).isTrue();
            return listens(address);
        });
        return address;
    }

    private static boolean listens(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(address, 1000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private String key(String name) {
        return "onair:stream:live/" + name;
    }

    private static int pulls(TestServer origin, String name) {
        return origin.server().registry().find(new StreamKey("live", name)).map(LiveStream::subscriberCount)
            .orElse(0);
    }

    /** The {@code last_error} of each pull into {@code name} in the edge's stat JSON. */
    @SuppressWarnings("unchecked")
    private static List<Object> pullErrors(TestServer edge, String name) throws Exception {
        String stat;
        try (HttpClient http = HttpClient.newHttpClient()) {
            stat = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + edge.server().httpAddresses().getFirst().getPort() + "/stat?format=json")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        }
        List<Object> errors = new ArrayList<>();
        for (Object server : (List<Object>) JSON.std.mapFrom(stat).get("servers")) {
            for (Object app : (List<Object>) ((Map<String, Object>) server).get("applications")) {
                for (Object stream : (List<Object>) ((Map<String, Object>) app).get("streams")) {
                    if (name.equals(((Map<String, Object>) stream).get("name"))) {
                        for (Object relay : (List<Object>) ((Map<String, Object>) stream).get("relays")) {
                            errors.add(((Map<String, Object>) relay).get("last_error"));
                        }
                    }
                }
            }
        }
        return errors;
    }

    private static boolean lookedUpInVain(TestServer edge, String name) throws Exception {
        return pullErrors(edge, name).contains("no source holds the stream");
    }

    private static TestPlayer playsVideo(TestServer edge, String name) throws InterruptedException {
        TestPlayer player = TestPlayer.play(edge.address(), "live", name);
        player.readUntilVideo(9, WAIT);
        assertThat(player.videoSequences()).as("video of %s from edge %s", name, edge.address()).contains(9);
        return player;
    }

    @Test
    void edgesPlayStreamsOfEitherOriginAndFindARepublishOnTheOtherOriginOnceTheKilledOnesLeaseExpires()
        throws Exception {
        InetSocketAddress first = originProcess();
        try (TestServer second = origin(); TestServer edge1 = edge(); TestServer edge2 = edge()) {
            String secondUrl = "rtmp://127.0.0.1:" + second.address().getPort() + "/live";
            try (TestPlayer early = TestPlayer.play(edge1.address(), "live", "late")) {
                await().atMost(WAIT).until(() -> lookedUpInVain(edge1, "late"));
                try (SyntheticPublisher late = new SyntheticPublisher(first, "live", "late", 10, 200)) {
                    late.send(10);
                    late.sync();
                    early.readUntilVideo(9, WAIT);
                    assertThat(early.videoSequences()).as("a player that waited for the publish").contains(9);
                }
            }
            SyntheticPublisher one = new SyntheticPublisher(first, "live", "one", 10, 200);
            try (SyntheticPublisher two = new SyntheticPublisher(second.address(), "live", "two", 10, 200)) {
                one.send(10);
                one.sync();
                two.send(10);
                two.sync();
                await().atMost(WAIT).until(() -> ("rtmp://127.0.0.1:" + first.getPort() + "/live")
                    .equals(redis.call("GET", key("one"))) && secondUrl.equals(redis.call("GET", key("two"))));

                try (TestPlayer waiting1 = playsVideo(edge1, "one"); TestPlayer waiting2 = playsVideo(edge2, "one");
                     TestPlayer twoOn1 = playsVideo(edge1, "two"); TestPlayer twoOn2 = playsVideo(edge2, "two")) {
                    assertThat(pulls(second, "two")).isEqualTo(2);

                    killed.destroyForcibly().waitFor();
                    one.close();
                    await().atMost(LEASE.plus(Duration.ofSeconds(1)))
                        .until(() -> redis.call("GET", key("one")) == null);
                    await().atMost(PULL_BACKOFF_CAP.plus(LEASE))
                        .until(() -> lookedUpInVain(edge1, "one") && lookedUpInVain(edge2, "one"));

                    try (SyntheticPublisher again = new SyntheticPublisher(second.address(), "live", "one", 10, 200)) {
                        await().atMost(LEASE).until(() -> secondUrl.equals(redis.call("GET", key("one"))));
                        await().atMost(PULL_BACKOFF_CAP.plus(LEASE)).until(() -> pulls(second, "one") == 2);
                        again.send(10);
                        again.sync();

                        for (TestPlayer waiting : List.of(waiting1, waiting2)) {
                            waiting.readUntilEvent("V9", 2, WAIT);
                            assertThat(waiting.events()).as("a player that waited").filteredOn("V9"::equals)
                                .hasSize(2);
                        }
                        playsVideo(edge1, "one").close();
                        playsVideo(edge2, "one").close();
                    }
                }
            } finally {
                one.close();
            }
        }
    }
}
