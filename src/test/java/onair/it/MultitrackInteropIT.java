package onair.it;

import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real ffmpeg 8 publishes two H.264 renditions and AAC in one connection (Enhanced RTMP v2 multitrack); a player that
 * did not ask for multitrack, joining at the start or late, gets track 0 alone as a plain stream, which ffprobe reads
 * as one 640x360 video and one audio stream and ffmpeg decodes without an error.
 */
class MultitrackInteropIT {

    private static final Duration RUN = Duration.ofSeconds(60);
    private static TestServer server;

    @BeforeAll
    static void start() throws InterruptedException {
        server = TestServer.start(TestServer.SEED);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void thePublishedFileHasTwoVideoTracks() {
        String streams = Ffmpeg.probe("multitrack-source", RUN, "-show_entries", "stream=codec_type,width,height",
                "-of", "csv=p=0", TestMedia.h264TwoRenditionsAac().toString());

        assertThat(streams.lines()).containsExactly("video,640,360", "video,320,180", "audio");
    }

    @Test
    void aPlainPlayerGetsTrackZeroAloneAndDecodesIt() {
        String url = server.url("live", "renditions");
        try (FfmpegPublisher publisher = FfmpegPublisher.builder(TestMedia.h264TwoRenditionsAac(), url)
                .loop().outputArgs("-map", "0").start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> server.server().registry()
                    .find(new StreamKey("live", "renditions")).map(LiveStream::isLive).orElse(false));

            String streams = Ffmpeg.probe("multitrack-player", RUN, "-show_entries", "stream=codec_type,width,height",
                    "-of", "csv=p=0", url);
            assertThat(streams.lines()).containsExactlyInAnyOrder("video,640,360", "audio");

            Path recording;
            try (FfmpegPlayer player = FfmpegPlayer.record(url, "multitrack-late")) {
                await().atMost(RUN).until(() -> player.recordedBytes() > 300_000);
                recording = player.stop();
            }
            String recorded = Ffmpeg.probe("multitrack-recording", RUN, "-show_entries",
                    "stream=codec_type,width,height", "-of", "csv=p=0", recording.toString());
            assertThat(recorded.lines()).containsExactlyInAnyOrder("video,640,360", "audio");
            Ffmpeg.run("multitrack-decode", RUN, "-xerror", "-i", recording.toString(), "-f", "null", "-");
        }
    }
}
