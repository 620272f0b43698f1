package onair.rtmpserver;

import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.testing.Frames;
import onair.testing.LogCapture;
import onair.testing.RtmpTestClient;
import onair.testing.TestPlayer;
import onair.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A crafted publisher with broken timestamps, watched by a player over real sockets. */
class TimestampRepairSessionTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int FRAMES = 60;
    private static final int START = 0xFFFFFC00;
    private static final int AUDIO_AHEAD = 300_000;
    private static final int VIDEO_BACK_AT = 40;
    private static final int AUDIO_JUMP_AT = 50;

    @Test
    void aPlayerOfAPublisherWithBrokenTimestampsStaysConnectedAndSeesEveryFrameOnAMonotonicTimeline()
        throws Exception {
        try (TestServer server = TestServer.start();
             LogCapture log = new LogCapture(LiveStream.class);
             TestPlayer player = TestPlayer.play(server.address(), "live", "crafted");
             RtmpTestClient publisher = RtmpTestClient.open(server.address())) {
            publisher.connect("live");
            int streamId = publisher.createStream();
            assertThat(RtmpTestClient.code(publisher.publish(streamId, "crafted"))).isEqualTo("NetStream.Publish.Start");
            publisher.sendVideo(streamId, START, Frames.avcSequenceHeader());
            publisher.sendAudio(streamId, START + AUDIO_AHEAD, Frames.aacSequenceHeader());
            for (int n = 0; n < FRAMES; n++) {
                int video = START + 40 * n - (n >= VIDEO_BACK_AT ? 20_000 : 0);
                int audio = START + AUDIO_AHEAD + 40 * n + 1 + (n >= AUDIO_JUMP_AT ? 600_000 : 0);
                publisher.sendVideo(streamId, video, Frames.video(n % 10 == 0, n, 100));
                publisher.sendAudio(streamId, audio, Frames.audio(n, 32));
            }
            player.readUntilVideo(FRAMES - 1, WAIT);
            player.readUntilEvent("A" + (FRAMES - 1), WAIT);

            assertThat(player.client().channel().isActive()).isTrue();
            assertThat(publisher.channel().isActive()).isTrue();
            assertThat(player.videoSequences()).containsExactlyElementsOf(IntStream.range(0, FRAMES).boxed().toList());
            assertThat(player.audioTimestamps()).hasSize(FRAMES);
            assertSmallForwardSteps(player.videoTimestamps());
            assertSmallForwardSteps(player.audioTimestamps());
            for (int n = 0; n < FRAMES; n++) {
                int apart = player.audioTimestamps().get(n) - player.videoTimestamps().get(n);
                assertThat(Math.abs(apart)).as("audio %d apart from video", n).isLessThanOrEqualTo(100);
            }
            assertThat(player.videoTimestamps().getFirst()).isEqualTo(START);
            assertThat(player.videoTimestamps().getLast()).as("wrapped past 2^32").isBetween(0, 10_000);
            LiveStream stream = server.server().registry().find(new StreamKey("live", "crafted")).orElseThrow();
            assertThat(stream.timestampRepairs()).isEqualTo(4);
            assertThat(log.lines("live/crafted: publisher timestamps repaired")).hasSize(1);
        }
    }

    /** Each step, read as RTMP's wrapping 32-bit milliseconds, goes forward by at most a second. */
    private static void assertSmallForwardSteps(List<Integer> timestamps) {
        for (int i = 1; i < timestamps.size(); i++) {
            int step = timestamps.get(i) - timestamps.get(i - 1);
            assertThat(step).as("step %d of %s", i, timestamps).isBetween(0, 1_000);
        }
    }
}
