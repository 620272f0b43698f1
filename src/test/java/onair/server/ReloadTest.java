package onair.server;

import onair.config.ServerConfig;
import onair.exec.ChildSnapshot;
import onair.rtmpserver.RtmpSession;
import onair.rtmp.chunk.ChunkDecoder;
import onair.testing.LogCapture;
import onair.testing.RtmpTestClient;
import onair.testing.SyntheticPublisher;
import onair.testing.TestPlayer;
import onair.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Reloading the configuration of a running server with a publisher and a player attached. */
class ReloadTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String TWO_APPS = """
            rtmp { server { listen 127.0.0.1:0; chunk_size 8000;
                application live { live on; } application other { live on; } } }""";
    private static final String OTHER_ONLY = "rtmp { server { listen 127.0.0.1:0; application other { live on; } } }";

    @Test
    void liveStreamsKeepEveryFrameAndNewConnectionsGetTheNewSettings() throws Exception {
        try (TestServer server = TestServer.start();
             SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "key", 10, 200);
             TestPlayer player = TestPlayer.play(server.address(), "live", "key");
             LogCapture sessions = new LogCapture(RtmpSession.class)) {
            InetSocketAddress address = server.address();
            publisher.send(20);
            player.readUntilVideo(19, WAIT);

            server.server().reload(ServerConfig.parse(TWO_APPS, "reload.conf"));
            publisher.send(20);
            player.readUntilVideo(39, WAIT);

            assertThat(player.videoSequences()).containsExactlyElementsOf(IntStream.range(0, 40).boxed().toList());
            assertThat(server.address()).isEqualTo(address);
            assertThat(sessions.lines("closed")).isEmpty();
            assertThat(chunkSizeAfterConnect(address, "other")).isEqualTo(8000);
            try (SyntheticPublisher other = new SyntheticPublisher(address, "other", "key", 10, 200);
                 TestPlayer otherPlayer = TestPlayer.play(address, "other", "key")) {
                other.send(5);
                otherPlayer.readUntilVideo(4, WAIT);
                assertThat(otherPlayer.videoSequences()).contains(4);
            }
        }
    }

    @Test
    void sessionsOfARemovedApplicationAreClosedWithOneLineEach() throws Exception {
        try (TestServer server = TestServer.start();
             SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "key", 10, 200);
             TestPlayer player = TestPlayer.play(server.address(), "live", "key");
             LogCapture sessions = new LogCapture(RtmpSession.class)) {
            publisher.send(5);
            player.readUntilVideo(4, WAIT);

            server.server().reload(ServerConfig.parse(OTHER_ONLY, "reload.conf"));

            assertThat(publisher.client().awaitClosed(WAIT)).isTrue();
            assertThat(player.client().awaitClosed(WAIT)).isTrue();
            await().atMost(WAIT).until(() -> sessions.lines("removed by reload").size() == 2);
            assertThat(sessions.lines("closed")).hasSize(2)
                .allMatch(line -> line.endsWith("closed: application \"live\" removed by reload"));
            try (RtmpTestClient late = RtmpTestClient.open(server.address())) {
                assertThat(late.connect("live").name()).isEqualTo("_error");
            }
        }
    }

    @Test
    void anInvalidFileKeepsTheOldConfigurationAndNamesTheLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("onair.conf");
        Files.writeString(file, TestServer.SEED);
        try (MediaServer server = new MediaServer(ServerConfig.load(file)).start();
             SyntheticPublisher publisher = new SyntheticPublisher(server.rtmpAddresses().getFirst(), "live", "k", 10, 200);
             TestPlayer player = TestPlayer.play(server.rtmpAddresses().getFirst(), "live", "k");
             LogCapture log = new LogCapture(MediaServer.class)) {
            InetSocketAddress address = server.rtmpAddresses().getFirst();
            publisher.send(5);
            Files.writeString(file, "rtmp {\n  server { listen 127.0.0.1:0; chunk_size 1; application live { live on; } }\n}\n");

            assertThat(server.reload(file)).isFalse();
            assertThat(log.lines("reload failed")).singleElement().asString()
                .startsWith("reload failed, keeping the old configuration: " + file + ":2: ");
            assertThat(server.config().rtmpServers().getFirst().chunkSize()).isEqualTo(4000);
            publisher.send(5);
            player.readUntilVideo(9, WAIT);
            assertThat(player.videoSequences()).containsExactlyElementsOf(IntStream.range(0, 10).boxed().toList());

            Files.writeString(file, TWO_APPS);
            assertThat(server.reload(file)).isTrue();
            assertThat(log.lines("reloaded " + file)).hasSize(1);
            assertThat(server.rtmpAddresses()).containsExactly(address);
            try (RtmpTestClient client = RtmpTestClient.open(address)) {
                assertThat(client.connect("other").name()).isEqualTo("_result");
            }
        }
    }

    @Test
    void listenersAreAddedAndRemovedAndABindFailureChangesNothing() throws Exception {
        try (TestServer server = TestServer.start();
             SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "key", 10, 200);
             TestPlayer player = TestPlayer.play(server.address(), "live", "key")) {
            InetSocketAddress first = server.address();
            String two = "rtmp { server { listen 127.0.0.1:0; listen 127.0.0.1:0; application live { live on; } } }";

            server.server().reload(ServerConfig.parse(two, "two.conf"));
            List<InetSocketAddress> addresses = server.server().rtmpAddresses();
            assertThat(addresses).hasSize(2).first().isEqualTo(first);
            try (RtmpTestClient second = RtmpTestClient.open(addresses.get(1))) {
                assertThat(second.connect("live").name()).isEqualTo("_result");
            }

            try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                String conflicting = "rtmp { server { listen 127.0.0.1:0; listen 127.0.0.1:" + taken.getLocalPort()
                    + "; application other { live on; } } }";
                assertThatThrownBy(() -> server.server().reload(ServerConfig.parse(conflicting, "c.conf")))
                    .hasMessageContaining("in use");
            }
            assertThat(server.server().rtmpAddresses()).isEqualTo(addresses);
            assertThat(server.server().config().rtmpServers().getFirst().application("live")).isPresent();

            server.server().reload(ServerConfig.parse(TestServer.SEED, "one.conf"));
            assertThat(server.server().rtmpAddresses()).containsExactly(first);
            assertThatThrownBy(() -> new Socket(addresses.get(1).getAddress(), addresses.get(1).getPort()).close())
                .isInstanceOf(ConnectException.class);
            publisher.send(5);
            player.readUntilVideo(4, WAIT);
            assertThat(player.videoSequences()).containsExactly(0, 1, 2, 3, 4);
        }
    }

    private static int chunkSizeAfterConnect(InetSocketAddress address, String app) throws InterruptedException {
        try (RtmpTestClient client = RtmpTestClient.open(address)) {
            assertThat(client.connect(app).name()).isEqualTo("_result");
            return client.channel().pipeline().get(ChunkDecoder.class).chunkSize();
        }
    }

    @Test
    void execStaticChildrenOfRemovedLinesStopAndNewLinesStart() throws Exception {
        String kept = "exec_static sleep 3600;";
        try (TestServer server = TestServer.start("rtmp { server { listen 127.0.0.1:0; application a { live on; "
                + kept + " exec_static sleep 3601; } } }")) {
            await().atMost(WAIT).until(() -> running(server).size() == 2);
            List<ChildSnapshot> before = running(server);

            server.server().reload(ServerConfig.parse("rtmp { server { listen 127.0.0.1:0; application a { live on; "
                + kept + " } application b { exec_static sleep 3602; " + kept + " } } }", "reload.conf"));

            await().atMost(WAIT).until(() -> running(server).stream().map(ChildSnapshot::command).toList()
                .equals(List.of("sleep 3600", "sleep 3602")));
            assertThat(running(server).getFirst().pid()).isEqualTo(before.getFirst().pid());
            assertThat(ProcessHandle.of(before.get(1).pid()).filter(ProcessHandle::isAlive)).isEmpty();
        }
    }

    private static List<ChildSnapshot> running(TestServer server) {
        return server.server().exec().snapshot().stream()
            .filter(child -> child.state() == ChildSnapshot.State.RUNNING).toList();
    }
}
