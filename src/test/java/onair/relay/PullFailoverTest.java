package onair.relay;

import onair.config.ServerConfig;
import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.testing.LogCapture;
import onair.testing.SyntheticPublisher;
import onair.testing.TestPlayer;
import onair.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PullFailoverTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final StreamKey SRC = new StreamKey("live", "src");

    @Test
    void anEdgeWhoseFirstOriginIsDownServesAPlayerFromTheSecondAndStopsPullingWithTheLastPlayer() throws Exception {
        int down = freePort();
        try (LogCapture log = new LogCapture(RtmpRelay.class);
             TestServer origin = TestServer.start();
             TestServer edge = TestServer.start("rtmp { server { listen 127.0.0.1:0; application live { live on; "
                 + "pull rtmp://127.0.0.1:" + down + "/live; pull rtmp://127.0.0.1:" + origin.address().getPort()
                 + "/live; pull_reconnect 200ms; } } }");
             SyntheticPublisher publisher = new SyntheticPublisher(origin.address(), "live", "src", 10, 500)) {
            publisher.send(10);
            publisher.sync();
            try (TestPlayer player = TestPlayer.play(edge.address(), "live", "src")) {
                await().atMost(WAIT).until(() -> origin.server().registry().find(SRC)
                    .map(LiveStream::subscriberCount).orElse(0) == 1);
                publisher.send(10);
                publisher.sync();

                player.readUntilVideo(19, WAIT);

                assertThat(player.videoSequences()).endsWith(15, 16, 17, 18, 19);
                assertThat(log.lines("[relay pull rtmp://127.0.0.1:" + down + "/live/***] ended"))
                    .singleElement().asString().contains("cannot connect");
            }
            await().atMost(WAIT).until(() -> origin.server().registry().find(SRC)
                .map(LiveStream::subscriberCount).orElse(0) == 0);
            await().atMost(WAIT).until(() -> !edge.server().registry().find(SRC).map(LiveStream::isLive)
                .orElse(false));
            assertThat(log.lines("[relay pull rtmp://127.0.0.1:" + origin.address().getPort() + "/live/***] ended"))
                .singleElement().asString().endsWith("no local player left");
        }
    }

    @Test
    void aStaticPullRunsWithoutPlayersAndComesBackWhenItsOriginDoes() throws Exception {
        try (TestServer origin = TestServer.start();
             TestServer edge = TestServer.start("rtmp { server { listen 127.0.0.1:0; application live { live on; "
                 + "pull rtmp://127.0.0.1:" + origin.address().getPort() + "/live/src name=copy static; "
                 + "pull_reconnect 200ms; } } }")) {
            StreamKey copy = new StreamKey("live", "copy");
            try (SyntheticPublisher publisher = new SyntheticPublisher(origin.address(), "live", "src", 10, 500)) {
                await().atMost(WAIT).until(() -> origin.server().registry().find(SRC)
                    .map(LiveStream::subscriberCount).orElse(0) == 1);
                publisher.send(10);
                publisher.sync();
                try (TestPlayer player = TestPlayer.play(edge.address(), "live", "copy")) {
                    publisher.send(10);
                    publisher.sync();
                    player.readUntilVideo(19, WAIT);
                    assertThat(player.videoSequences()).endsWith(17, 18, 19);
                }
            }
            try (SyntheticPublisher publisher = new SyntheticPublisher(origin.address(), "live", "src", 10, 500)) {
                await().atMost(WAIT).until(() -> origin.server().registry().find(SRC)
                    .map(LiveStream::subscriberCount).orElse(0) == 1);
                assertThat(edge.server().registry().find(copy).map(LiveStream::isLive)).contains(true);
            }
        }
    }

    @Test
    void aReloadWithoutTheStaticLineStopsItsPull() throws Exception {
        try (TestServer origin = TestServer.start();
             SyntheticPublisher publisher = new SyntheticPublisher(origin.address(), "live", "src", 10, 500)) {
            String pull = "pull rtmp://127.0.0.1:" + origin.address().getPort() + "/live/src name=copy static; ";
            String config = "rtmp { server { listen 127.0.0.1:0; application live { live on; %s} } }";
            try (TestServer edge = TestServer.start(config.formatted(pull))) {
                await().atMost(WAIT).until(() -> origin.server().registry().find(SRC)
                    .map(LiveStream::subscriberCount).orElse(0) == 1);

                edge.server().reload(ServerConfig.parse(config.formatted(""), "test.conf"));

                await().atMost(WAIT).until(() -> origin.server().registry().find(SRC)
                    .map(LiveStream::subscriberCount).orElse(0) == 0);
                assertThat(edge.server().registry().find(new StreamKey("live", "copy")).map(LiveStream::isLive)
                    .orElse(false)).isFalse();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
