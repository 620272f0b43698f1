package onair.relay;

import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.stream.StreamStats;
import onair.testing.CallbackBackend;
import onair.testing.CallbackBackend.Reply;
import onair.testing.Frames;
import onair.testing.LogCapture;
import onair.testing.RtmpTestClient;
import onair.testing.ScriptedRemote;
import onair.testing.SyntheticPublisher;
import onair.testing.TestPlayer;
import onair.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HexFormat;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RelayPullTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** The data message of {@code BadInputTest}: AMF3 (type 15), an onCue whose AMF3 byte array AMF0 cannot carry. */
    private static final byte[] AMF3_DATA = {0x05, 0, 0, 0, 0, 0, 15, 0x0f, 1, 0, 0, 0,
        0x00, 0x02, 0, 5, 'o', 'n', 'C', 'u', 'e', 0x11, 0x0c, 0x07, 'a', 'b', 'c'};

    @Test
    void aDataMessageAmf0CannotCarryEndsTheRelayPullWithOneLogLineAndOtherStreamsGoOn() throws Exception {
        try (LogCapture log = new LogCapture(RtmpRelay.class);
             ScriptedRemote remote = ScriptedRemote.start(AMF3_DATA);
             CallbackBackend backend = CallbackBackend.start().answer(call -> "pulled".equals(call.arg("name"))
                 ? Reply.redirect(remote.url("live", "src")) : Reply.status(200));
             TestServer server = TestServer.start("rtmp { server { listen 127.0.0.1:0; application live { live on; "
                 + "on_play " + backend.url("/p") + "; } } }");
             SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "main", 10, 500);
             TestPlayer other = TestPlayer.play(server.address(), "live", "main");
             TestPlayer player = TestPlayer.play(server.address(), "live", "pulled")) {
            publisher.send(20);
            other.readUntilVideo(19, WAIT);

            assertThat(remote.awaitClosed(WAIT)).as("the relay closed its connection to the remote").isTrue();
            player.readUntilEvent("STREAM_EOF", WAIT);
            publisher.send(20);
            other.readUntilVideo(39, WAIT);

            await().atMost(WAIT).until(() -> !log.lines("] ended").isEmpty());
            assertThat(log.lines("] ended")).singleElement().asString()
                .startsWith("[relay pull " + remote.url("live", "src") + "]")
                .contains("data message onCue cannot be relayed");
            assertThat(server.server().registry().find(new StreamKey("live", "pulled")).map(LiveStream::isLive))
                .contains(false);
            assertThat(other.videoSequences()).containsExactlyElementsOf(IntStream.range(0, 40).boxed().toList());
            assertThat(player.client().channel().isActive()).isTrue();
        }
    }

    @Test
    void aPullFromAnOnairOriginAnnouncesMultitrackAndGetsEveryTrack() throws Exception {
        try (TestServer origin = TestServer.start();
             RtmpTestClient publisher = RtmpTestClient.open(origin.address())) {
            publisher.connect("live");
            int streamId = publisher.createStream();
            publisher.publish(streamId, "two");
            publisher.sendVideo(streamId, 0, Frames.avcSequenceHeader());
            publisher.sendVideo(streamId, 0, HexFormat.of().parseHex("9600617663310101640016ffe1"));
            publisher.sendVideo(streamId, 0, Frames.video(true, 0, 64));
            publisher.sendVideo(streamId, 0, HexFormat.of().parseHex("96016176633101000000000000026588"));
            publisher.roundTrip(streamId);
            try (TestServer edge = TestServer.start("rtmp { server { listen 127.0.0.1:0; application live { live on; "
                     + "pull " + origin.url("live", "two") + " name=two static; } } }")) {
                StreamKey key = new StreamKey("live", "two");
                await().atMost(WAIT).until(() -> edge.server().registry().find(key)
                    .map(stream -> stream.stats().tracks().size()).orElse(0) == 2);

                assertThat(edge.server().registry().find(key).orElseThrow().stats().tracks())
                    .extracting(StreamStats.Track::id).containsExactly(0, 1);
            }
        }
    }
}
