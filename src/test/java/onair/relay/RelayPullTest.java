package onair.relay;

import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.testing.CallbackBackend;
import onair.testing.CallbackBackend.Reply;
import onair.testing.LogCapture;
import onair.testing.ScriptedRemote;
import onair.testing.SyntheticPublisher;
import onair.testing.TestPlayer;
import onair.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
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
}
