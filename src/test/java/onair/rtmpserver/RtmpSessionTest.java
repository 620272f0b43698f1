package onair.rtmpserver;

import onair.rtmp.message.CommandMessage;
import onair.testing.RtmpTestClient;
import onair.testing.SyntheticPublisher;
import onair.testing.TestPlayer;
import onair.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A publisher and players against an in-process server over real sockets, observed as nginx-rtmp clients see it. */
class RtmpSessionTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void playerGetsStatusThenMetadataHeadersAndTheStreamFromTheLatestKeyframe() throws Exception {
        try (TestServer server = TestServer.start();
             SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "key", 10, 200)) {
            publisher.send(25);
            publisher.sync();
            try (TestPlayer player = TestPlayer.play(server.address(), "live", "key?token=abc")) {
                player.readUntilVideo(24, WAIT);
                publisher.send(5);
                player.readUntilVideo(29, WAIT);

                assertThat(player.events()).startsWith("STREAM_BEGIN", "NetStream.Play.Reset", "NetStream.Play.Start",
                    "|RtmpSampleAccess", "onMetaData", "V-seq", "A-seq", "V20");
                assertThat(player.videoSequences()).containsExactly(20, 21, 22, 23, 24, 25, 26, 27, 28, 29);
                assertThat(player.videoTimestamps()).isSorted();
            }
        }
    }

    @Test
    void withoutGopCacheAPlayerStartsAtTheNextKeyframe() throws Exception {
        String config = "rtmp { server { listen 127.0.0.1:0; application live { live on; gop_cache off; } } }";
        try (TestServer server = TestServer.start(config);
             SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "key", 10, 200)) {
            publisher.send(25);
            publisher.sync();
            try (TestPlayer player = TestPlayer.play(server.address(), "live", "key")) {
                player.readUntilEvent("A-seq", WAIT);
                publisher.send(10);
                player.readUntilVideo(34, WAIT);

                assertThat(player.videoSequences()).containsExactly(30, 31, 32, 33, 34);
            }
        }
    }

    @Test
    void aSecondPublisherIsRefusedAndTheFirstGoesOn() throws Exception {
        try (TestServer server = TestServer.start();
             SyntheticPublisher first = new SyntheticPublisher(server.address(), "live", "key", 10, 100);
             TestPlayer player = TestPlayer.play(server.address(), "live", "key");
             RtmpTestClient second = RtmpTestClient.open(server.address())) {
            first.send(10);
            second.connect("live");
            CommandMessage status = second.publish(second.createStream(), "key");

            assertThat(RtmpTestClient.code(status)).isEqualTo("NetStream.Publish.BadName");
            assertThat(second.awaitClosed(WAIT)).isTrue();
            first.send(10);
            player.readUntilVideo(19, WAIT);
            assertThat(player.videoSequences()).containsExactlyElementsOf(IntStream.range(0, 20).boxed().toList());
        }
    }

    @Test
    void connectToAnUnknownApplicationIsRejectedAndClosed() throws Exception {
        try (TestServer server = TestServer.start(); RtmpTestClient client = RtmpTestClient.open(server.address())) {
            CommandMessage answer = client.connect("nosuchapp");

            assertThat(answer.name()).isEqualTo("_error");
            assertThat(RtmpTestClient.code(answer)).isEqualTo("NetConnection.Connect.Rejected");
            assertThat(client.awaitClosed(WAIT)).isTrue();
        }
    }

    @Test
    void playersWaitForAPublisherAndStayAcrossARepublishWithMonotonicTimestamps() throws Exception {
        String config = "rtmp { server { listen 127.0.0.1:0; application live { live on; publish_notify on; } } }";
        try (TestServer server = TestServer.start(config);
             TestPlayer player = TestPlayer.play(server.address(), "live", "key")) {
            player.readUntilEvent("NetStream.Play.Start", WAIT);
            try (SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "key", 5, 100)) {
                publisher.send(10);
                player.readUntilVideo(9, WAIT);
            }
            player.readUntilEvent("NetStream.Play.UnpublishNotify", WAIT);
            try (SyntheticPublisher again = new SyntheticPublisher(server.address(), "live", "key", 5, 100)) {
                again.send(5);
                player.readUntilEvent("V4", 2, WAIT);
            }

            assertThat(player.events()).containsSubsequence("NetStream.Play.PublishNotify", "V9", "STREAM_EOF",
                "NetStream.Play.UnpublishNotify", "NetStream.Play.PublishNotify", "V0", "V4");
            assertThat(player.videoTimestamps()).isSorted();
            assertThat(player.audioTimestamps()).isSorted();
        }
    }

    @Test
    void withIdleStreamsOffPlayingAnUnpublishedStreamIsNotFound() throws Exception {
        String config = "rtmp { server { listen 127.0.0.1:0; application live { live on; idle_streams off; } } }";
        try (TestServer server = TestServer.start(config);
             TestPlayer player = TestPlayer.play(server.address(), "live", "nothing")) {
            player.readUntilEvent("NetStream.Play.StreamNotFound", WAIT);

            assertThat(player.events()).contains("NetStream.Play.StreamNotFound");
            assertThat(player.client().awaitClosed(WAIT)).isTrue();
        }
    }
}
