package onair.hls;

import io.netty.buffer.Unpooled;
import onair.config.ServerConfig;
import onair.media.MediaFrame;
import onair.stream.LiveOptions;
import onair.stream.Publication;
import onair.stream.StreamKey;
import onair.stream.StreamRegistry;
import onair.testing.Frames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Where segments are cut, fed with synthetic H.264/AAC frames straight into the hub. */
class HlsSegmenterTest {

    private static final StreamKey KEY = new StreamKey("live", "s");

    @TempDir
    Path dir;

    static Stream<Arguments> cuts() {
        return Stream.of(
            arguments("keyframes every 1 s cut at the first one past hls_fragment 2s", "hls_fragment 2s;",
                video(0, 7000, 1000), List.of(2.0, 2.0, 2.0, 1.0)),
            arguments("keyframes every 3 s make 3 s segments", "hls_fragment 2s;", video(0, 9000, 3000),
                List.of(3.0, 3.0, 3.0)),
            arguments("hls_max_fragment forces a cut between keyframes", "hls_fragment 1s; hls_max_fragment 2500ms;",
                video(0, 6000, 60_000), List.of(2.52, 2.52, 0.96)),
            arguments("an audio-only stream is cut by time", "hls_fragment 2s;", audio(0, 5000),
                List.of(2.0, 2.0, 0.98)),
            arguments("aligned slicing cuts at multiples of hls_fragment in stream time",
                "hls_fragment 2s; hls_fragment_slicing aligned;", video(1500, 7500, 1000),
                List.of(1.0, 2.0, 2.0, 1.0)),
            arguments("plain slicing from the same start", "hls_fragment 2s;", video(1500, 7500, 1000),
                List.of(2.0, 2.0, 2.0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cuts")
    void segmentsAreCutAsNginxRtmpCutsThem(String name, String directives, List<MediaFrame> frames,
            List<Double> durations) throws IOException {
        String playlist = run(directives, List.of(frames));

        assertThat(extinf(playlist)).containsExactlyElementsOf(durations);
        assertThat(playlist).startsWith("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-MEDIA-SEQUENCE:0\n").endsWith("#EXT-X-ENDLIST\n");
        for (int i = 0; i < durations.size(); i++) {
            assertThat(dir.resolve("s-" + i + ".ts")).isRegularFile();
        }
    }

    @Test
    void aRepublishedStreamContinuesItsPlaylistAfterADiscontinuity() throws IOException {
        String playlist = run("hls_fragment 2s;", List.of(video(0, 4000, 2000), video(0, 4000, 2000)));

        assertThat(playlist).isEqualTo("""
            #EXTM3U
            #EXT-X-VERSION:3
            #EXT-X-MEDIA-SEQUENCE:0
            #EXT-X-TARGETDURATION:2
            #EXTINF:2.000,
            s-0.ts
            #EXTINF:2.000,
            s-1.ts
            #EXT-X-DISCONTINUITY
            #EXTINF:2.000,
            s-2.ts
            #EXTINF:2.000,
            s-3.ts
            #EXT-X-ENDLIST
            """);
    }

    @Test
    void withHlsContinuousOffARepublishedStreamStartsAFreshPlaylist() throws IOException {
        String playlist = run("hls_fragment 2s; hls_continuous off;",
            List.of(video(0, 4000, 2000), video(0, 2000, 2000)));

        assertThat(playlist).contains("#EXT-X-MEDIA-SEQUENCE:0\n").doesNotContain("DISCONTINUITY", "s-1.ts");
        assertThat(extinf(playlist)).containsExactly(2.0);
    }

    @Test
    void theWindowSlidesOverHlsPlaylistLengthAndAnEventPlaylistKeepsEverySegment() throws IOException {
        String live = run("hls_fragment 1s; hls_playlist_length 3s;", List.of(video(0, 10_000, 1000)));
        assertThat(live).contains("#EXT-X-MEDIA-SEQUENCE:7\n");
        assertThat(extinf(live)).containsExactly(1.0, 1.0, 1.0);

        String event = run("hls_fragment 1s; hls_playlist_length 3s; hls_type event;", List.of(video(0, 10_000, 1000)));
        assertThat(event).contains("#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-TARGETDURATION:1\n#EXT-X-PLAYLIST-TYPE:EVENT\n");
        assertThat(extinf(event)).hasSize(10);
    }

    @Test
    void nestedTimestampNamedSegmentsUnderABaseUrl() throws IOException {
        String playlist = run("hls_fragment 2s; hls_nested on; hls_fragment_naming timestamp; "
            + "hls_fragment_naming_granularity 1000; hls_base_url http://cdn/s/;", List.of(video(500, 4500, 2000)));

        assertThat(playlist).contains("\nhttp://cdn/s/0.ts\n", "\nhttp://cdn/s/2000.ts\n");
        assertThat(dir.resolve("s/index.m3u8")).isRegularFile();
        assertThat(dir.resolve("s/2000.ts")).isRegularFile();
    }

    @Test
    void eachVideoTrackOfAMultitrackPublishIsARenditionCutWithTrackZeroAndListedInAMasterPlaylist()
            throws IOException {
        List<MediaFrame> frames = new ArrayList<>(video(0, 7000, 1000));
        frames.addAll(Frames.trackVideo(1, 0, 7000, 1000));
        frames.addAll(audio(0, 7000));
        frames.sort(Comparator.comparingInt(frame -> frame.isSequenceHeader() ? -1 : frame.timestamp()));
        String master = run("hls_fragment 2s;", List.of(frames));

        assertThat(master).startsWith("#EXTM3U\n").contains("CODECS=\"avc1.64001f,mp4a.40.2\"\ns-v0.m3u8\n")
            .contains("\ns-v1.m3u8\n").doesNotContain("#EXTINF");
        String trackZero = Files.readString(dir.resolve("s-v0.m3u8"));
        String trackOne = Files.readString(dir.resolve("s-v1.m3u8"));
        assertThat(extinf(trackZero)).hasSize(4).startsWith(2.0, 2.0, 2.0);
        assertThat(extinf(trackOne)).as("cut where track 0 is cut").isEqualTo(extinf(trackZero));
        assertThat(trackZero).contains("\ns-0.ts\n", "\ns-3.ts\n");
        assertThat(trackOne).contains("\ns-v1-0.ts\n", "\ns-v1-3.ts\n").endsWith("#EXT-X-ENDLIST\n");
        assertThat(Files.size(dir.resolve("s-v1-1.ts"))).as("video and audio").isGreaterThan(2 * 188);
    }

    @Test
    void aTrackWhoseSequenceHeaderComesAfterTrackZerosFirstKeyframeIsNotARendition() throws IOException {
        List<MediaFrame> frames = new ArrayList<>(video(0, 4000, 1000));
        frames.addAll(Frames.trackVideo(1, 0, 4000, 1000));
        frames.sort(Comparator.comparingInt(MediaFrame::timestamp));
        String playlist = run("hls_fragment 2s;", List.of(frames));

        assertThat(extinf(playlist)).containsExactly(2.0, 2.0);
        assertThat(dir.resolve("s-v1.m3u8")).doesNotExist();
    }

    private String run(String directives, List<List<MediaFrame>> publications) throws IOException {
        ServerConfig config = ServerConfig.parse("rtmp { server { listen 1935; application live { live on; hls on; "
            + "hls_path " + dir + "; " + directives + " } } }", "t.conf");
        StreamRegistry registry = new StreamRegistry();
        HlsOutput output = new HlsOutput(() -> config);
        registry.observe(output);
        for (List<MediaFrame> frames : publications) {
            Publication publication = registry.stream(KEY, LiveOptions.defaults()).publish();
            frames.forEach(publication::send);
            publication.close();
        }
        output.close();
        Path nested = dir.resolve("s/index.m3u8");
        return Files.readString(Files.exists(nested) ? nested : dir.resolve("s.m3u8"));
    }

    private static List<Double> extinf(String playlist) {
        List<Double> durations = new ArrayList<>();
        Matcher m = Pattern.compile("#EXTINF:([0-9.]+),").matcher(playlist);
        while (m.find()) {
            durations.add(Double.parseDouble(m.group(1)));
        }
        return durations;
    }

    /** H.264 at 25 frames/s from {@code from} to {@code to} ms with a keyframe every {@code keyEvery} ms of it. */
    private static List<MediaFrame> video(int from, int to, int keyEvery) {
        List<MediaFrame> frames = new ArrayList<>();
        frames.add(frame(MediaFrame.Kind.VIDEO, from, Frames.avcSequenceHeader()));
        for (int t = from; t < to; t += 40) {
            boolean key = (t - from) % keyEvery == 0;
            frames.add(frame(MediaFrame.Kind.VIDEO, t, new byte[] {(byte) (key ? 0x17 : 0x27), 1, 0, 0, 0,
                0, 0, 0, 5, (byte) (key ? 0x65 : 0x41), (byte) 0x88, 0, 0, (byte) t}));
        }
        return frames;
    }

    /** AAC frames every 20 ms from {@code from} to {@code to} ms. */
    private static List<MediaFrame> audio(int from, int to) {
        List<MediaFrame> frames = new ArrayList<>();
        frames.add(frame(MediaFrame.Kind.AUDIO, from, Frames.aacSequenceHeader()));
        for (int t = from; t < to; t += 20) {
            frames.add(frame(MediaFrame.Kind.AUDIO, t, new byte[] {(byte) 0xaf, 1, 0x21, 0x10, (byte) t}));
        }
        return frames;
    }

    private static MediaFrame frame(MediaFrame.Kind kind, int timestamp, byte[] body) {
        return MediaFrame.of(kind, timestamp, Unpooled.wrappedBuffer(body));
    }
}
