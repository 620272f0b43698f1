package onair.rtmpserver;

import onair.rtmp.message.CommandMessage;
import onair.rtmp.message.DataMessage;
import onair.rtmp.message.RtmpMessage;
import onair.testing.LogCapture;
import onair.testing.RtmpTestClient;
import onair.testing.SyntheticPublisher;
import onair.testing.TestPlayer;
import onair.testing.TestServer;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The nginx-rtmp directives of the core and live modules, each observed through a real client. */
class RtmpDirectivesTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private static String config(String server, String application) {
        return "rtmp { server { listen 127.0.0.1:0; " + server + " application live { live on; " + application + " } } }";
    }

    @Test
    void metaCopySendsThePublishersMetadataVerbatim() throws Exception {
        assertThat(metadataSeenByAPlayer("meta copy;")).containsEntry("encoder", "onair-test").containsEntry("width", 640.0);
    }

    @Test
    void metaOnSendsOnlyTheStreamDescription() throws Exception {
        assertThat(metadataSeenByAPlayer("")).containsEntry("width", 640.0).doesNotContainKey("encoder");
    }

    @Test
    void metaOffSendsNoMetadata() throws Exception {
        assertThat(metadataSeenByAPlayer("meta off;")).isNull();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metadataSeenByAPlayer(String directive) throws Exception {
        try (TestServer server = TestServer.start(config("", directive));
             SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "key", 5, 100)) {
            publisher.send(5);
            publisher.sync();
            try (RtmpTestClient player = RtmpTestClient.open(server.address())) {
                player.connect("live");
                player.play(player.createStream(), "key");
                RtmpMessage message;
                while ((message = player.poll(Duration.ofMillis(500))) != null) {
                    try {
                        if (message instanceof DataMessage data && data.values().getFirst().equals("onMetaData")) {
                            return (Map<String, Object>) data.values().get(1);
                        }
                    } finally {
                        ReferenceCountUtil.release(message);
                    }
                }
                return null;
            }
        }
    }

    @Test
    void playRestartSendsPlayStartAndStopOnEveryPublication() throws Exception {
        try (TestServer server = TestServer.start(config("", "play_restart on;"));
             TestPlayer player = TestPlayer.play(server.address(), "live", "key")) {
            try (SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "key", 5, 100)) {
                publisher.send(3);
                player.readUntilVideo(2, WAIT);
            }
            player.readUntilEvent("NetStream.Play.Stop", WAIT);

            assertThat(player.events()).containsSubsequence("NetStream.Play.Start", "STREAM_BEGIN",
                "NetStream.Play.Start", "V2", "STREAM_EOF", "NetStream.Play.Stop");
        }
    }

    @Test
    void dropIdlePublisherDisconnectsAPublisherThatSendsNoMedia() throws Exception {
        try (LogCapture log = new LogCapture(RtmpSession.class);
             TestServer server = TestServer.start(config("", "drop_idle_publisher 1s;"));
             SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "key", 5, 100)) {
            assertThat(publisher.client().awaitClosed(Duration.ofSeconds(10))).isTrue();
            await().atMost(WAIT).until(() -> log.lines("closed: publisher sent no media").size() == 1);
        }
    }

    @Test
    void aPeerThatDoesNotAnswerPingsIsClosedAfterPingTimeout() throws Exception {
        try (LogCapture log = new LogCapture(RtmpSession.class);
             TestServer server = TestServer.start(config("ping 1s; ping_timeout 1s;", ""));
             RtmpTestClient client = RtmpTestClient.open(server.address())) {
            client.connect("live");

            assertThat(client.awaitClosed(Duration.ofSeconds(10))).isTrue();
            await().atMost(WAIT).until(() -> log.lines("closed: ping timeout").size() == 1);
        }
    }

    @Test
    void aConnectionThatNeverSendsConnectIsClosedAfterTimeout() throws Exception {
        try (LogCapture log = new LogCapture(RtmpSession.class);
             TestServer server = TestServer.start(config("timeout 1s;", ""));
             RtmpTestClient client = RtmpTestClient.open(server.address())) {
            assertThat(client.awaitClosed(Duration.ofSeconds(10))).isTrue();
            await().atMost(WAIT).until(() -> log.lines("closed: no connect within timeout").size() == 1);
        }
    }

    @Test
    void waitVideoHoldsAudioUntilTheFirstVideoFrame() throws Exception {
        try (TestServer server = TestServer.start(config("", "wait_video on; gop_cache off;"));
             SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "key", 5, 100);
             TestPlayer player = TestPlayer.play(server.address(), "live", "key")) {
            publisher.client().sendAudio(1, 1, onair.testing.Frames.audio(-1, 32));
            publisher.send(6);
            player.readUntilVideo(5, WAIT);

            List<String> media = player.events().stream().filter(e -> e.matches("[AV]-?\\d+")).toList();
            assertThat(media).startsWith("V0", "A0");
        }
    }

    @Test
    void receiveVideoFalseLeavesOnlyAudio() throws Exception {
        try (TestServer server = TestServer.start(config("", ""));
             SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "key", 5, 100);
             RtmpTestClient player = RtmpTestClient.open(server.address())) {
            player.connect("live");
            int stream = player.createStream();
            player.play(stream, "key");
            player.awaitCommand(c -> c.name().equals("onStatus") && RtmpTestClient.code(c).equals("NetStream.Play.Start"));
            player.send(new CommandMessage(stream, 0, "receiveVideo", 0, null, List.of(false)));
            player.roundTrip(stream);
            publisher.send(5);
            publisher.sync();

            int video = 0;
            int audio = 0;
            RtmpMessage message;
            while ((message = player.poll(Duration.ofMillis(500))) != null) {
                if (message instanceof onair.rtmp.message.MediaMessage media) {
                    boolean header = media.payload().getByte(media.payload().readerIndex() + 1) == 0;
                    video += media.isVideo() && !header ? 1 : 0;
                    audio += media.isAudio() && !header ? 1 : 0;
                }
                ReferenceCountUtil.release(message);
            }
            assertThat(video).isZero();
            assertThat(audio).isEqualTo(5);
        }
    }

    @Test
    void pauseStopsDeliveryAndUnpauseResumesFromTheCachedKeyframe() throws Exception {
        try (TestServer server = TestServer.start(config("", ""));
             SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "key", 5, 100)) {
            TestPlayer player = TestPlayer.play(server.address(), "live", "key");
            try (player) {
                publisher.send(3);
                player.readUntilVideo(2, WAIT);
                player.client().send(new CommandMessage(1, 0, "pause", 0, null, List.of(true, 0.0)));
                player.readUntilEvent("NetStream.Pause.Notify", WAIT);
                publisher.send(4);
                publisher.sync();
                player.client().send(new CommandMessage(1, 0, "pause", 0, null, List.of(false, 0.0)));
                player.readUntilEvent("NetStream.Unpause.Notify", WAIT);
                publisher.send(3);
                player.readUntilVideo(9, WAIT);

                assertThat(player.events()).containsSubsequence("V2", "NetStream.Pause.Notify",
                    "NetStream.Unpause.Notify", "V5", "V6", "V7", "V8", "V9");
                assertThat(player.videoSequences()).doesNotContain(3, 4);
            }
        }
    }
}
