package onair.it;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import onair.flv.Flv;
import onair.media.MediaFrame;
import onair.rtmp.message.CommandMessage;
import onair.rtmp.message.MediaMessage;
import onair.rtmp.message.RtmpMessage;
import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.stream.Subscriber;
import onair.stream.StreamStats;
import onair.stream.Subscription;
import onair.stats.StatJson;
import onair.stats.StatSection;
import onair.stats.StatSnapshot;
import onair.testing.RtmpTestClient;
import onair.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Real ffmpeg 8 publishes two H.264 renditions and AAC in one connection (Enhanced RTMP v2 multitrack); a player that
 * did not ask for multitrack, joining at the start or late, gets track 0 alone as a plain stream, which ffprobe reads
 * as one 640x360 video and one audio stream and ffmpeg decodes without an error; the second rendition plays alone
 * with {@code ?track=1} over RTMP and HTTP-FLV; a player whose connect announced capsEx Multitrack, and a push relay,
 * get every track, which ffprobe reads back as both renditions; HLS over DASH segments makes each rendition a variant
 * of the master playlist and a representation of the manifest, both read by ffprobe.
 */
class MultitrackInteropIT {

    private static final Duration RUN = Duration.ofSeconds(60);
    private static TestServer server;

    @BeforeAll
    static void start() throws InterruptedException {
        server = TestServer.start(TestServer.SEED
            + "\nhttp { server { listen 127.0.0.1:0; location /live { flv_live on; } } }");
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
    void hlsOverDashListsEachRenditionAsAVariantThatFfprobeReads(@TempDir Path media) throws Exception {
        try (TestServer abr = TestServer.start("""
                rtmp { server { listen 127.0.0.1:0; application live { live on; dash on; dash_path %1$s/abr;
                    dash_fragment 2s; hls on; hls_path %1$s/abr; hls_fragment 2s; hls_segment_type fmp4; } } }
                http { server { listen 127.0.0.1:0; location /abr { root %1$s; } } }
                """.formatted(media));
             FfmpegPublisher publisher = FfmpegPublisher.builder(TestMedia.h264TwoRenditionsAac(),
                 abr.url("live", "ladder")).loop().outputArgs("-map", "0").name("publish-abr").start()) {
            Path master = media.resolve("abr/ladder.m3u8");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.isRegularFile(master)
                && Files.readString(master).split("#EXT-X-STREAM-INF").length == 3
                && Files.isRegularFile(media.resolve("abr/ladder-v1-video.m3u8"))
                && segmentTimes(media.resolve("abr/ladder-v1-video.m3u8"), "ladder-v1-", ".mp4").size() >= 3);

            assertThat(Files.readString(master))
                .containsPattern("RESOLUTION=640x360,AUDIO=\"audio\"\nladder-video.m3u8\n")
                .containsPattern("RESOLUTION=320x180,AUDIO=\"audio\"\nladder-v1-video.m3u8\n");
            List<String> times = segmentTimes(media.resolve("abr/ladder-video.m3u8"), "ladder-", ".mp4");
            List<String> renditionTimes = segmentTimes(media.resolve("abr/ladder-v1-video.m3u8"), "ladder-v1-",
                ".mp4");
            assertThat(renditionTimes).as("the renditions' segments start at the same times").hasSizeGreaterThan(1)
                .isSubsetOf(times.subList(0, Math.min(times.size(), renditionTimes.size() + 1)));
            String http = "http://127.0.0.1:" + abr.server().httpAddresses().getFirst().getPort() + "/abr/";
            String streams = Ffmpeg.probe("abr-master", RUN, "-show_entries", "stream=codec_type,width,height",
                "-of", "csv=p=0", http + "ladder.m3u8");
            assertThat(streams.lines().filter(line -> !line.isBlank()).distinct().toList())
                .contains("video,640,360", "video,320,180", "audio");
            String dash = Ffmpeg.probe("abr-mpd", RUN, "-show_entries", "stream=codec_type,width,height",
                "-of", "csv=p=0", http + "ladder.mpd");
            assertThat(dash.lines().filter(line -> !line.isBlank()).distinct().toList())
                .contains("video,640,360", "video,320,180", "audio");
        }
    }

    @Test
    void hlsWritesAMediaPlaylistPerRenditionUnderAMasterPlaylistThatFfprobeReads(@TempDir Path media)
            throws Exception {
        try (TestServer abr = TestServer.start("""
                rtmp { server { listen 127.0.0.1:0; application live { live on; hls on; hls_path %1$s/hls;
                    hls_fragment 2s; hls_fragment_naming timestamp; } } }
                http { server { listen 127.0.0.1:0; location /hls { root %1$s; } } }
                """.formatted(media));
             FfmpegPublisher publisher = FfmpegPublisher.builder(TestMedia.h264TwoRenditionsAac(),
                 abr.url("live", "ladder")).loop().outputArgs("-map", "0").name("publish-hls-ladder").start()) {
            Path master = media.resolve("hls/ladder.m3u8");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.isRegularFile(master)
                && Files.readString(master).split("#EXT-X-STREAM-INF").length == 3
                && segmentTimes(media.resolve("hls/ladder-v1.m3u8"), "ladder-v1-", ".ts").size() >= 3);

            assertThat(Files.readString(master))
                .containsPattern("RESOLUTION=640x360,CODECS=\"avc1\\.[0-9a-f]{6},mp4a\\.40\\.2\"\nladder-v0.m3u8\n")
                .containsPattern("RESOLUTION=320x180,CODECS=\"avc1\\.[0-9a-f]{6},mp4a\\.40\\.2\"\nladder-v1.m3u8\n");
            List<String> times = segmentTimes(media.resolve("hls/ladder-v0.m3u8"), "ladder-", ".ts");
            List<String> renditionTimes = segmentTimes(media.resolve("hls/ladder-v1.m3u8"), "ladder-v1-", ".ts");
            assertThat(renditionTimes).as("the renditions' segments start at the same times").hasSizeGreaterThan(2)
                .isSubsetOf(times.subList(0, Math.min(times.size(), renditionTimes.size() + 1)));
            String http = "http://127.0.0.1:" + abr.server().httpAddresses().getFirst().getPort() + "/hls/";
            String streams = Ffmpeg.probe("hls-master", RUN, "-show_entries", "stream=codec_type,width,height",
                "-of", "csv=p=0", http + "ladder.m3u8");
            assertThat(streams.lines().filter(line -> !line.isBlank()).distinct().toList())
                .contains("video,640,360", "video,320,180", "audio");
        }
    }

    /** The start times of the segments a media playlist lists, from their names {@code PREFIX}TIME{@code SUFFIX}. */
    private static List<String> segmentTimes(Path playlist, String prefix, String suffix) throws IOException {
        return Files.readString(playlist).lines().filter(line -> line.startsWith(prefix))
            .map(line -> line.substring(prefix.length(), line.length() - suffix.length())).toList();
    }

    @Test
    void theSecondRenditionPlaysWithTrackOneInTheQueryAndDecodes() {
        String url = server.url("live", "ladder");
        try (FfmpegPublisher publisher = FfmpegPublisher.builder(TestMedia.h264TwoRenditionsAac(), url)
                .loop().outputArgs("-map", "0").start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> server.server().registry()
                    .find(new StreamKey("live", "ladder/1")).map(LiveStream::isLive).orElse(false));

            String streams = Ffmpeg.probe("rendition-player", RUN, "-show_entries", "stream=codec_type,width,height",
                    "-of", "csv=p=0", url + "?track=1");
            assertThat(streams.lines()).containsExactlyInAnyOrder("video,320,180", "audio");
            Path recording;
            try (FfmpegPlayer player = FfmpegPlayer.record(url + "?track=1", "rendition-late")) {
                await().atMost(RUN).until(() -> player.recordedBytes() > 100_000);
                recording = player.stop();
            }
            Ffmpeg.run("rendition-decode", RUN, "-xerror", "-i", recording.toString(), "-f", "null", "-");

            String flv = "http://127.0.0.1:" + server.server().httpAddresses().getFirst().getPort()
                + "/live/ladder.flv?track=1";
            String overHttp = Ffmpeg.probe("rendition-http-flv", RUN, "-show_entries", "stream=codec_type,width,height",
                    "-of", "csv=p=0", flv);
            assertThat(overHttp.lines()).containsExactlyInAnyOrder("video,320,180", "audio");
        }
    }

    @Test
    void aPlayerWhoseConnectAnnouncesMultitrackGetsEveryTrackAsFfmpegReadsIt() throws Exception {
        String url = server.url("live", "all-tracks");
        try (FfmpegPublisher publisher = FfmpegPublisher.builder(TestMedia.h264TwoRenditionsAac(), url)
                .loop().outputArgs("-map", "0").start();
             RtmpTestClient player = RtmpTestClient.open(server.address())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> server.server().registry()
                    .find(new StreamKey("live", "all-tracks")).map(LiveStream::isLive).orElse(false));
            CommandMessage result = player.connect("live",
                Map.of("capsEx", 2.0, "fourCcList", List.of("avc1", "mp4a")));
            assertThat(((Map<?, ?>) result.commandObject()).get("capsEx")).isEqualTo(7.0);
            player.play(player.createStream(), "all-tracks");

            Path file = Files.createDirectories(Ffmpeg.LOG_DIR).resolve("multitrack-player.flv");
            ByteBuf flv = Unpooled.buffer();
            Flv.writeHeader(flv, true, true);
            int multitrackVideo = 0;
            while (multitrackVideo < 100) {
                RtmpMessage message = player.poll(RUN);
                assertThat(message).as("a message within %s", RUN).isNotNull();
                try {
                    if (message instanceof MediaMessage media) {
                        ByteBuf body = media.payload();
                        multitrackVideo += media.isVideo() && (body.getByte(body.readerIndex()) & 0x8f) == 0x86 ? 1 : 0;
                        Flv.writeTag(flv, media.isVideo() ? FlvTag.VIDEO : FlvTag.AUDIO, media.timestamp(), body);
                    }
                } finally {
                    ReferenceCountUtil.release(message);
                }
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                flv.readBytes(out, flv.readableBytes());
            } finally {
                flv.release();
            }

            String streams = Ffmpeg.probe("multitrack-player-file", RUN, "-show_entries",
                    "stream=codec_type,width,height", "-of", "csv=p=0", file.toString());
            assertThat(streams.lines()).containsExactlyInAnyOrder("video,640,360", "video,320,180", "audio");
            Ffmpeg.run("multitrack-player-decode", RUN, "-xerror", "-i", file.toString(), "-map", "0", "-f", "null",
                    "-");
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

            LiveStream live = server.server().registry().find(new StreamKey("live", "renditions")).orElseThrow();
            await().atMost(RUN).until(() -> live.stats().tracks().size() == 3);
            assertThat(live.stats().tracks())
                .extracting(StreamStats.Track::id, StreamStats.Track::kind, StreamStats.Track::width,
                    StreamStats.Track::height)
                .containsExactlyInAnyOrder(tuple(0, MediaFrame.Kind.VIDEO, 640, 360), tuple(0, MediaFrame.Kind.AUDIO, 0, 0),
                    tuple(1, MediaFrame.Kind.VIDEO, 320, 180));
            assertThat(live.stats().tracks()).extracting(StreamStats.Track::codecs)
                .allSatisfy(codecs -> assertThat(codecs).matches("avc1\\.[0-9a-f]{6}|mp4a\\.40\\.2"));
            assertThat(StatJson.render(StatSnapshot.take(server.server().config(), server.server().registry(),
                    server.server().clients(), StatSnapshot.Exec.of(server.server().exec())),
                    EnumSet.allOf(StatSection.class)))
                .containsPattern("\"tracks\":\\s*\\[");

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
