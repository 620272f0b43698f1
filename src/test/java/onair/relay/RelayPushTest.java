package onair.relay;

import onair.server.MediaServer;
import onair.stats.PrometheusMetrics;
import onair.stats.StatJson;
import onair.stats.StatSection;
import onair.stats.StatSnapshot;
import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.testing.CallbackBackend;
import onair.testing.CallbackBackend.Reply;
import onair.testing.StallingProxy;
import onair.testing.SyntheticPublisher;
import onair.testing.TestPlayer;
import onair.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RelayPushTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final StreamKey LOCAL = new StreamKey("live", "key");

    @Test
    void framesARelayPushDropsForASlowRemoteAppearInStatAndMetrics() throws Exception {
        try (TestServer upstream = TestServer.start();
             StallingProxy proxy = StallingProxy.start(upstream.address());
             CallbackBackend backend = CallbackBackend.start()
                 .answer(call -> Reply.redirect("rtmp://127.0.0.1:" + proxy.port() + "/live/pushed"));
             TestServer server = TestServer.start("rtmp { server { listen 127.0.0.1:0; application live { live on; "
                 + "on_publish " + backend.url("/p") + "; } } }");
             SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "key", 10, 50_000)) {
            await().atMost(WAIT).until(() -> upstream.server().registry().find(new StreamKey("live", "pushed"))
                .map(LiveStream::isLive).orElse(false));
            publisher.send(10);
            publisher.sync();
            assertThat(dropped(server.server())).isZero();

            proxy.stall();
            await().atMost(WAIT).until(() -> {
                publisher.send(20);
                publisher.sync();
                return dropped(server.server()) > 0;
            });

            long dropped = dropped(server.server());
            assertThat(StatJson.render(snapshot(server.server()), EnumSet.allOf(StatSection.class)))
                .containsPattern("\"dropped_frames\":\\s*[1-9]");
            assertThat(metric(PrometheusMetrics.render(snapshot(server.server()))))
                .isGreaterThanOrEqualTo(dropped);
        }
    }

    @Test
    void aPushLineDeliversTheStreamToItsEndThenEndsTheRemoteStreamWhenThePublisherLeaves() throws Exception {
        StreamKey pushed = new StreamKey("live", "pushed");
        try (TestServer upstream = TestServer.start();
             TestServer server = TestServer.start("rtmp { server { listen 127.0.0.1:0; application live { live on; "
                 + "push " + upstream.url("live", "pushed") + "; } } }")) {
            SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "key", 10, 20_000);
            await().atMost(WAIT).until(() -> upstream.server().registry().find(pushed).map(LiveStream::isLive)
                .orElse(false));
            try (TestPlayer player = TestPlayer.play(upstream.address(), "live", "pushed")) {
                publisher.send(100);
                publisher.sync();
                publisher.close();

                player.readUntilVideo(99, WAIT);

                assertThat(player.videoSequences()).endsWith(97, 98, 99);
                await().atMost(WAIT).until(() -> !upstream.server().registry().find(pushed).map(LiveStream::isLive)
                    .orElse(false));
            }
        }
    }

    private static long dropped(MediaServer server) {
        return server.registry().find(LOCAL).orElseThrow().stats().droppedFrames();
    }

    private static StatSnapshot snapshot(MediaServer server) {
        return StatSnapshot.take(server.config(), server.registry(), server.clients(),
            StatSnapshot.Exec.of(server.exec()));
    }

    private static long metric(String metrics) {
        Matcher line = Pattern.compile("(?m)^onair_stream_dropped_frames_total\\{[^}]*name=\"key\"[^}]*} (\\d+)")
            .matcher(metrics);
        assertThat(line.find()).as("dropped frames metric of live/key in%n%s", metrics).isTrue();
        return Long.parseLong(line.group(1));
    }
}
