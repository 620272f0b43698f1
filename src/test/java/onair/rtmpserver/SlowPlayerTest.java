package onair.rtmpserver;

import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.stream.Subscriber;
import onair.testing.LogCapture;
import onair.testing.RtmpTestClient;
import onair.testing.SyntheticPublisher;
import onair.testing.TestPlayer;
import onair.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A player that stops reading is bounded and dropped to keyframes; it never holds back the publisher or others. */
class SlowPlayerTest {

    @Test
    void aPlayerThatStopsReadingDropsFramesWithinItsBoundWhileOthersStayCurrent() throws Exception {
        String config = "rtmp { server { listen 127.0.0.1:0; timeout 6s; application live { live on; } } }";
        try (LogCapture log = new LogCapture(RtmpSession.class);
             TestServer server = TestServer.start(config);
             SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "key", 50, 10_000);
             TestPlayer current = TestPlayer.play(server.address(), "live", "key");
             RtmpTestClient stalled = RtmpTestClient.open(server.address(), 4096)) {
            stalled.connect("live");
            stalled.play(stalled.createStream(), "key");
            stalled.awaitCommand(c -> c.name().equals("onStatus")
                && RtmpTestClient.code(c).contains("Play.Start"));
            stalled.channel().config().setAutoRead(false);

            LiveStream stream = server.server().registry().find(new StreamKey("live", "key")).orElseThrow();
            long mostQueuedBytes = 0;
            int mostQueuedFrames = 0;
            long dropped = 0;
            for (int batch = 0; batch < 30; batch++) {
                publisher.send(100);
                current.readUntilVideo(publisher.next() - 1, Duration.ofSeconds(5));
                for (Subscriber subscriber : stream.subscribers()) {
                    mostQueuedBytes = Math.max(mostQueuedBytes, subscriber.queuedBytes());
                    mostQueuedFrames = Math.max(mostQueuedFrames, subscriber.queuedFrames());
                    dropped = Math.max(dropped, subscriber.droppedFrames());
                }
            }

            assertThat(dropped).as("frames the stalled player skipped").isPositive();
            assertThat(mostQueuedFrames).isLessThanOrEqualTo(RtmpSession.PLAYER_QUEUE_FRAMES);
            assertThat(mostQueuedBytes).isLessThanOrEqualTo(RtmpSession.PLAYER_QUEUE_BYTES);
            assertThat(current.videoSequences()).containsExactlyElementsOf(IntStream.range(0, 3000).boxed().toList());

            await().atMost(Duration.ofSeconds(10)).until(() -> !log.lines("did not read").isEmpty());
            stalled.channel().config().setAutoRead(true);
            assertThat(stalled.awaitClosed(Duration.ofSeconds(10))).isTrue();
            assertThat(current.client().channel().isActive()).isTrue();
        }
    }
}
