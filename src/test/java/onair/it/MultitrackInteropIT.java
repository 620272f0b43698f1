package onair.it;

import onair.media.MediaFrame;
import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.stream.Subscriber;
import onair.stream.Subscription;
import onair.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real ffmpeg 8 publishes two H.264 renditions and AAC in one connection (Enhanced RTMP v2 multitrack); a player that
 * did not ask for multitrack, joining at the start or late, gets track 0 alone as a plain stream, which ffprobe reads
 * as one 640x360 video and one audio stream and ffmpeg decodes without an error; a push relay forwards every track.
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
    void aPushRelayForwardsEveryTrackAndALateMultitrackSubscriberGetsEachTracksHeader() throws Exception {
        StreamKey pushed = new StreamKey("live", "pushed-renditions");
        try (TestServer edge = TestServer.start();
             TestServer origin = TestServer.start("rtmp { server { listen 127.0.0.1:0; application live { live on; "
                 + "push " + edge.url("live", "pushed-renditions") + "; } } }");
             FfmpegPublisher publisher = FfmpegPublisher.builder(TestMedia.h264TwoRenditionsAac(),
                 origin.url("live", "renditions")).loop().outputArgs("-map", "0").start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> edge.server().registry().find(pushed)
                .map(LiveStream::isLive).orElse(false));
            AtomicInteger trackOneHeaders = new AtomicInteger();
            AtomicInteger trackOneFrames = new AtomicInteger();
            Subscriber everyTrack = new Subscriber() {
                @Override
                public void onFrame(MediaFrame frame) {
                    if (frame.track() == 1) {
                        (frame.isSequenceHeader() ? trackOneHeaders : trackOneFrames).incrementAndGet();
                    }
                    frame.release();
                }

                @Override
                public void onPublishStart() {
                }

                @Override
                public void onPublishStop() {
                }

                @Override
                public boolean multitrack() {
                    return true;
                }
            };
            try (Subscription subscription = edge.server().registry().find(pushed).orElseThrow().subscribe(everyTrack)) {
                await().atMost(RUN).until(() -> trackOneFrames.get() >= 50);

                assertThat(trackOneHeaders.get()).as("track 1's sequence header from the edge's cache").isPositive();
            }
        }
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
