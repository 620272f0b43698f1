package onair.dash;

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
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code dash on} writes for synthetic H.264/AAC frames fed straight into the hub. */
class DashStreamTest {

    private static final StreamKey KEY = new StreamKey("live", "s");

    @TempDir
    Path dir;

    @Test
    void fragmentsAreCutAtTheFirstKeyframePastDashFragmentAndListedInTheTimeline() throws Exception {
        Document mpd = run("dash_fragment 2s;", video(0, 7000, 1000));

        assertThat(timeline(mpd, "video")).containsExactly("0+180000", "180000+180000", "360000+180000",
            "540000+90000");
        assertThat(mpd.getDocumentElement().getAttribute("mediaPresentationDuration")).isEqualTo("PT7S");
        assertThat(representation(mpd, "video").getAttribute("codecs")).isEqualTo("avc1.64001f");
        for (long time : new long[] {0, 180_000, 360_000, 540_000}) {
            assertThat(dir.resolve("s-" + time + ".m4v")).isRegularFile();
        }
        byte[] init = Files.readAllBytes(dir.resolve("s-init.m4v"));
        assertThat(new String(init, StandardCharsets.ISO_8859_1)).contains("ftyp", "avc1", "avcC");
        String segment = new String(Files.readAllBytes(dir.resolve("s-180000.m4v")), StandardCharsets.ISO_8859_1);
        assertThat(segment).startsWith("\0\0").contains("moof", "tfdt", "mdat");
    }

    @Test
    void videoAndAudioGoToTheirOwnInitAndMediaSegments() throws Exception {
        List<MediaFrame> frames = new ArrayList<>(video(0, 4000, 1000));
        frames.addAll(audio(0, 4000));
        frames.sort(Comparator.comparingInt(MediaFrame::timestamp));
        Document mpd = run("dash_fragment 2s;", frames);

        assertThat(timeline(mpd, "video")).containsExactly("0+180000", "180000+180000");
        assertThat(timeline(mpd, "audio")).containsExactly("0+102400", "88200+102400");
        assertThat(representation(mpd, "audio").getAttribute("codecs")).isEqualTo("mp4a.40.2");
        assertThat(new String(Files.readAllBytes(dir.resolve("s-init.m4a")), StandardCharsets.ISO_8859_1))
            .contains("mp4a", "esds").doesNotContain("avcC");
        assertThat(dir.resolve("s-88200.m4a")).isRegularFile();
    }

    @Test
    void anAudioOnlyStreamIsCutByTime() throws Exception {
        Document mpd = run("dash_fragment 2s;", audio(0, 5000));

        assertThat(timeline(mpd, "audio")).containsExactly("0+102400", "88200+102400", "176400+51200");
        assertThat(mpd.getElementsByTagName("AdaptationSet").getLength()).isEqualTo(1);
    }

    @Test
    void theWindowSlidesOverDashPlaylistLengthAndSegmentsOutOfItForAnotherLengthAreDeleted() throws Exception {
        Document mpd = run("dash_fragment 1s; dash_playlist_length 3s;", video(0, 10_000, 1000));

        assertThat(timeline(mpd, "video")).containsExactly("630000+90000", "720000+90000", "810000+90000");
        assertThat(mpd.getDocumentElement().getAttribute("timeShiftBufferDepth")).isEqualTo("PT3S");
        for (long second = 0; second < 4; second++) {
            assertThat(dir.resolve("s-" + second * 90_000 + ".m4v")).doesNotExist();
        }
        for (long second = 4; second < 10; second++) {
            assertThat(dir.resolve("s-" + second * 90_000 + ".m4v")).isRegularFile();
        }
    }

    @Test
    void withDashCleanupOffEverySegmentIsKept() throws Exception {
        run("dash_fragment 1s; dash_playlist_length 3s; dash_cleanup off;", video(0, 10_000, 1000));

        for (long second = 0; second < 10; second++) {
            assertThat(dir.resolve("s-" + second * 90_000 + ".m4v")).isRegularFile();
        }
    }

    @Test
    void nestedStreamsHaveADirectoryWithAnIndexManifest() throws Exception {
        Document mpd = run("dash_fragment 2s; dash_nested on;", video(0, 4000, 2000));

        Element template = (Element) representation(mpd, "video").getElementsByTagName("SegmentTemplate").item(0);
        assertThat(template.getAttribute("initialization")).isEqualTo("init.m4v");
        assertThat(template.getAttribute("media")).isEqualTo("$Time$.m4v");
        assertThat(dir.resolve("s/init.m4v")).isRegularFile();
        assertThat(dir.resolve("s/180000.m4v")).isRegularFile();
    }

    @Test
    void theManifestAnnouncesOnairsTimeSourceOrDashClockHelperUri() throws Exception {
        Element own = (Element) run("", video(0, 2000, 1000)).getElementsByTagName("UTCTiming").item(0);
        assertThat(own.getAttribute("schemeIdUri")).isEqualTo("urn:mpeg:dash:utc:http-iso:2014");
        assertThat(own.getAttribute("value")).isEqualTo("/api/time");

        Element helper = (Element) run("dash_clock_compensation http_head; dash_clock_helper_uri http://clock/;",
            video(0, 2000, 1000)).getElementsByTagName("UTCTiming").item(0);
        assertThat(helper.getAttribute("schemeIdUri")).isEqualTo("urn:mpeg:dash:utc:http-head:2014");
        assertThat(helper.getAttribute("value")).isEqualTo("http://clock/");
    }

    @Test
    void withHlsOverTheSegmentsEachTracksMediaPlaylistListsTheSegmentsOfTheManifest() throws Exception {
        List<MediaFrame> frames = new ArrayList<>(video(0, 4000, 1000));
        frames.addAll(audio(0, 4000));
        frames.sort(Comparator.comparingInt(MediaFrame::timestamp));
        run("dash_fragment 2s; hls on; hls_path " + dir + "; hls_segment_type fmp4; hls_fragment 2s;", frames);

        assertThat(Files.readString(dir.resolve("s-video.m3u8"))).isEqualTo("""
            #EXTM3U
            #EXT-X-VERSION:7
            #EXT-X-MEDIA-SEQUENCE:0
            #EXT-X-TARGETDURATION:2
            #EXT-X-MAP:URI="s-init.mp4"
            #EXTINF:2.000,
            s-0.mp4
            #EXTINF:2.000,
            s-180000.mp4
            #EXT-X-ENDLIST
            """);
        assertThat(Files.readString(dir.resolve("s-audio.m3u8"))).contains("#EXT-X-MAP:URI=\"s-init.m4a\"",
            "#EXTINF:2.322,\ns-0.m4a\n", "#EXTINF:2.322,\ns-88200.m4a\n#EXT-X-ENDLIST\n");
        assertThat(Files.readString(dir.resolve("s.m3u8"))).containsPattern(
            "URI=\"s-audio.m3u8\"\n#EXT-X-STREAM-INF:BANDWIDTH=\\d+,CODECS=\"avc1.64001f,mp4a.40.2\","
                + "AUDIO=\"audio\"\ns-video.m3u8\n");
        for (String file : List.of("s-init.mp4", "s-0.mp4", "s-180000.mp4", "s-init.m4a", "s-0.m4a", "s-88200.m4a")) {
            assertThat(dir.resolve(file)).isRegularFile();
        }
    }

    @Test
    void theHlsPlaylistsOverTheSegmentsBelongToTheirStreamWhileItIsWritten() throws Exception {
        ServerConfig config = ServerConfig.parse("rtmp { server { listen 1935; application live { live on; dash on; "
            + "dash_path " + dir + "; hls on; hls_path " + dir + "; hls_segment_type fmp4; } } }", "t.conf");
        StreamRegistry registry = new StreamRegistry();
        DashOutput output = new DashOutput(() -> config, "/api/time");
        registry.observe(output);
        Publication publication = registry.stream(KEY, LiveOptions.defaults()).publish();

        for (String file : List.of("s.m3u8", "s-video.m3u8", "s-audio.m3u8", "s-v1-video.m3u8", "s-180000.mp4")) {
            assertThat(output.streamOf(dir.resolve(file))).as(file).hasValue(KEY);
        }
        for (String file : List.of("s.mpd", "t.m3u8", "t-video.m3u8", "other/s.m3u8")) {
            assertThat(output.streamOf(dir.resolve(file))).as(file).isEmpty();
        }
        publication.close();
        output.close();
        assertThat(output.streamOf(dir.resolve("s.m3u8"))).isEmpty();
    }

    @Test
    void eachVideoTrackOfAMultitrackPublishIsARenditionCutWithTrackZero() throws Exception {
        List<MediaFrame> frames = new ArrayList<>(video(0, 4000, 1000));
        frames.addAll(Frames.trackVideo(1, 0, 4000, 1000));
        frames.addAll(audio(0, 4000));
        frames.sort(Comparator.comparingInt(MediaFrame::timestamp));
        Document mpd = run("dash_fragment 2s; hls on; hls_path " + dir + "; hls_segment_type fmp4; hls_fragment 2s;",
            frames);

        assertThat(timeline(mpd, "video")).containsExactly("0+180000", "180000+180000");
        assertThat(timeline(mpd, "video1")).containsExactly("0+180000", "180000+180000");
        Element rendition = (Element) representation(mpd, "video1").getElementsByTagName("SegmentTemplate").item(0);
        assertThat(rendition.getAttribute("media")).isEqualTo("s-v1-$Time$.mp4");
        assertThat(dir.resolve("s-v1-init.mp4")).isRegularFile();
        assertThat(dir.resolve("s-v1-180000.mp4")).isRegularFile();
        assertThat(Files.readString(dir.resolve("s.m3u8"))).containsSubsequence(
            "#EXT-X-STREAM-INF:", "AUDIO=\"audio\"\ns-video.m3u8\n",
            "#EXT-X-STREAM-INF:", "AUDIO=\"audio\"\ns-v1-video.m3u8\n");
        assertThat(Files.readString(dir.resolve("s-v1-video.m3u8"))).contains("#EXT-X-MAP:URI=\"s-v1-init.mp4\"",
            "#EXTINF:2.000,\ns-v1-0.mp4\n#EXTINF:2.000,\ns-v1-180000.mp4\n#EXT-X-ENDLIST\n");
    }

    @Test
    void audioTracksOtherThanTrackZeroAreLeftOut() throws Exception {
        List<MediaFrame> frames = new ArrayList<>(video(0, 4000, 1000));
        frames.addAll(audio(0, 4000));
        frames.add(frame(MediaFrame.Kind.AUDIO, 0,
            new byte[] {(byte) 0x95, 0x00, 'm', 'p', '4', 'a', 1, 0x11, (byte) 0x90}));
        for (int t = 0; t < 4000; t += 10) {
            frames.add(frame(MediaFrame.Kind.AUDIO, t,
                new byte[] {(byte) 0x95, 0x01, 'm', 'p', '4', 'a', 1, 0x21, 0x10}));
        }
        frames.sort(Comparator.comparingInt(MediaFrame::timestamp));
        Document mpd = run("dash_fragment 2s;", frames);

        assertThat(timeline(mpd, "audio")).containsExactly("0+102400", "88200+102400");
        assertThat(representation(mpd, "audio").getAttribute("audioSamplingRate")).isEqualTo("44100");
    }

    @Test
    void aRenditionsFramesBeforeItsKeyframeInAFragmentAreLeftOut() throws Exception {
        List<MediaFrame> frames = new ArrayList<>(video(0, 4000, 1000));
        frames.addAll(Frames.trackVideo(1, 0, 4000, 1000).stream().filter(frame -> frame.timestamp() >= 120
            || frame.payload().getByte(1) == 0).toList());
        frames.sort(Comparator.comparingInt(MediaFrame::timestamp));
        Document mpd = run("dash_fragment 2s;", frames);

        assertThat(timeline(mpd, "video1")).as("the first fragment of track 1 starts at its keyframe at 1 s")
            .containsExactly("90000+90000", "180000+180000");
    }

    @Test
    void withoutHlsOverTheSegmentsNoPlaylistIsWritten() throws Exception {
        run("dash_fragment 2s; hls on; hls_path " + dir + "; hls_fragment 2s;", video(0, 4000, 1000));

        assertThat(dir.resolve("s.m3u8")).doesNotExist();
        assertThat(dir.resolve("s-video.m3u8")).doesNotExist();
    }

    private Document run(String directives, List<MediaFrame> frames) throws Exception {
        ServerConfig config = ServerConfig.parse("rtmp { server { listen 1935; application live { live on; dash on; "
            + "dash_path " + dir + "; " + directives + " } } }", "t.conf");
        StreamRegistry registry = new StreamRegistry();
        DashOutput output = new DashOutput(() -> config, "/api/time");
        registry.observe(output);
        Publication publication = registry.stream(KEY, LiveOptions.defaults()).publish();
        frames.forEach(publication::send);
        publication.close();
        output.close();
        Path nested = dir.resolve("s/index.mpd");
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        return factory.newDocumentBuilder().parse((Files.exists(nested) ? nested : dir.resolve("s.mpd")).toFile());
    }

    private static Element representation(Document mpd, String id) {
        NodeList representations = mpd.getElementsByTagName("Representation");
        for (int i = 0; i < representations.getLength(); i++) {
            Element representation = (Element) representations.item(i);
            if (representation.getAttribute("id").equals(id)) {
                return representation;
            }
        }
        throw new AssertionError("no representation " + id);
    }

    private static List<String> timeline(Document mpd, String id) {
        NodeList segments = representation(mpd, id).getElementsByTagName("S");
        List<String> timeline = new ArrayList<>();
        for (int i = 0; i < segments.getLength(); i++) {
            Element s = (Element) segments.item(i);
            timeline.add(s.getAttribute("t") + "+" + s.getAttribute("d"));
        }
        return timeline;
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
