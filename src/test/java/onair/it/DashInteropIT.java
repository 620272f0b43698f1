package onair.it;

import onair.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real ffmpeg 8 publishes H.264 or HEVC (Enhanced RTMP) with AAC to Onair with {@code dash on}; real ffprobe reads the
 * live manifest over Onair's HTTP side and finds the published video and audio; the manifest and init segments name
 * the right codecs; and the files go once the publication ends. With HLS over the same segments, ffprobe reads the
 * HLS master playlist from the very files the manifest lists.
 */
class DashInteropIT {

    private static final Duration RUN = Duration.ofSeconds(60);

    @TempDir
    static Path media;

    private static TestServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws InterruptedException {
        server = TestServer.start("""
            rtmp { server { listen 127.0.0.1:0; chunk_size 4000;
                application live { live on; dash on; dash_path %1$s/dash; dash_fragment 2s;
                    dash_playlist_length 20s; }
                application brief { live on; dash on; dash_path %1$s/brief; dash_fragment 1s;
                    dash_playlist_length 2s; dash_nested on; }
                application both { live on; dash on; dash_path %1$s/cmaf; dash_fragment 2s;
                    hls on; hls_path %1$s/cmaf; hls_segment_type fmp4; hls_fragment 2s; }
            } }
            http { server { listen 127.0.0.1:0; location / { } location /dash { root %1$s; }
                location /cmaf { root %1$s; } } }
            """.formatted(media));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<Arguments> media() {
        return Stream.of(
            Arguments.of("h264", (Supplier<Path>) TestMedia::h264Aac360p, "avc1\\.64[0-9a-f]{4}", "avcC"),
            Arguments.of("hevc", (Supplier<Path>) TestMedia::hevcAac, "hvc1\\.1\\.6\\.L\\d+(\\.[0-9A-F]{1,2})*", "hvcC"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("media")
    void ffprobeReadsTheLiveManifestOverHttpWithTheVideoAndAudioCodecs(String codec, Supplier<Path> file,
            String codecs, String configurationBox) throws Exception {
        String name = "probe-" + codec;
        try (FfmpegPublisher publisher = FfmpegPublisher.builder(file.get(), server.url("live", name)).loop()
                .name("publish-" + name).start()) {
            String url = http("/dash/" + name + ".mpd");
            Document mpd = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> manifest(url), m -> m != null && segments(m, "video") >= 2 && segments(m, "audio") >= 2);

            Element root = mpd.getDocumentElement();
            assertThat(root.getAttribute("type")).isEqualTo("dynamic");
            Element video = representation(mpd, "video");
            assertThat(video.getAttribute("codecs")).as("RFC 6381 codecs of the profile published").matches(codecs);
            assertThat(video.getAttribute("width")).isEqualTo("640");
            assertThat(video.getAttribute("height")).isEqualTo("360");
            assertThat(video.getAttribute("frameRate")).isEqualTo("25");
            assertThat(representation(mpd, "audio").getAttribute("codecs")).isEqualTo("mp4a.40.2");
            assertThat(representation(mpd, "audio").getAttribute("audioSamplingRate")).isEqualTo("44100");
            String timing = ((Element) mpd.getElementsByTagName("UTCTiming").item(0)).getAttribute("value");
            HttpResponse<String> now = HTTP.send(HttpRequest.newBuilder(URI.create(http(timing))).build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(Duration.between(Instant.parse(now.body()), Instant.now()).abs())
                .as("the UTCTiming source answers the time").isLessThan(Duration.ofSeconds(5));
            Instant start = Instant.parse(root.getAttribute("availabilityStartTime"));
            assertThat(start).isBefore(Instant.now());

            byte[] init = Files.readAllBytes(media.resolve("dash").resolve(name + "-init.m4v"));
            String boxes = new String(init, StandardCharsets.ISO_8859_1);
            assertThat(boxes).contains(codecs.substring(0, 4), configurationBox).doesNotContain("mp4a");
            assertThat(new String(Files.readAllBytes(media.resolve("dash").resolve(name + "-init.m4a")),
                StandardCharsets.ISO_8859_1)).contains("mp4a", "esds").doesNotContain(configurationBox);

            String streams = Ffmpeg.probe("dash-" + name, RUN, "-show_entries", "stream=codec_type,codec_name,width",
                "-of", "csv=p=0", url);
            assertThat(streams.lines().filter(line -> !line.isBlank()).toList())
                .contains((codec.equals("h264") ? "h264" : "hevc") + ",video,640", "aac,audio");

            Document later = manifest(url);
            assertThat(later.getDocumentElement().getAttribute("availabilityStartTime"))
                .as("availabilityStartTime is fixed for the publication")
                .isEqualTo(root.getAttribute("availabilityStartTime"));
        }
    }

    @Test
    void hlsOverTheDashSegmentsIsReadByFfprobeFromTheSameFilesAsTheManifest() throws Exception {
        Path dir = media.resolve("cmaf");
        try (FfmpegPublisher publisher = FfmpegPublisher.builder(TestMedia.h264Aac360p(), server.url("both", "one"))
                .loop().name("publish-cmaf").start()) {
            String mpd = http("/cmaf/one.mpd");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> manifest(mpd), m -> m != null && segments(m, "video") >= 2 && segments(m, "audio") >= 2);

            String master = HTTP.send(HttpRequest.newBuilder(URI.create(http("/cmaf/one.m3u8"))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
            assertThat(master).containsPattern("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\".*URI=\"one-audio.m3u8\"")
                .containsPattern("#EXT-X-STREAM-INF:BANDWIDTH=\\d+,CODECS=\"avc1\\.64[0-9a-f]{4},mp4a\\.40\\.2\","
                    + "RESOLUTION=640x360,AUDIO=\"audio\"\none-video.m3u8");
            for (String track : new String[] {"video", "audio"}) {
                String playlist = Files.readString(dir.resolve("one-" + track + ".m3u8"));
                String extension = track.equals("video") ? "mp4" : "m4a";
                assertThat(playlist).contains("#EXT-X-MAP:URI=\"one-init." + extension + "\"");
                java.util.List<String> listed = playlist.lines().filter(line -> !line.startsWith("#")).toList();
                assertThat(listed).isNotEmpty().allSatisfy(uri -> {
                    assertThat(uri).matches("one-\\d+\\." + extension);
                    assertThat(dir.resolve(uri)).isRegularFile();
                });
            }
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(file -> file.getFileName().toString()))
                    .as("one set of segments: the DASH ones, no HLS segments of their own")
                    .allMatch(file -> file.matches(
                        "one(\\.mpd|\\.m3u8|-(video|audio)\\.m3u8|-(init|\\d+)\\.(mp4|m4a))"));
            }

            for (String manifest : new String[] {"/cmaf/one.m3u8", "/cmaf/one.mpd"}) {
                String streams = Ffmpeg.probe("cmaf" + manifest.replace('/', '-'), RUN, "-show_entries",
                    "stream=codec_type,codec_name,width", "-of", "csv=p=0", http(manifest));
                assertThat(streams.lines().filter(line -> !line.isBlank()).toList()).as(manifest)
                    .contains("h264,video,640", "aac,audio");
            }
        }
    }

    @Test
    void anEndedPublicationEndsItsManifestAndItsFilesAreRemovedAPlaylistLengthLater() throws Exception {
        Path dir = media.resolve("brief").resolve("short");
        try (FfmpegPublisher publisher = FfmpegPublisher.builder(TestMedia.h264Aac360p(), server.url("brief", "short"))
                .realtime(false).name("publish-short").start()) {
            publisher.awaitCompletion(RUN);
        }
        Path manifest = dir.resolve("index.mpd");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.isRegularFile(manifest)
            && Files.readString(manifest).contains("mediaPresentationDuration"));
        assertThat(Files.readString(manifest)).doesNotContain("minimumUpdatePeriod");
        assertThat(dir.resolve("init.m4v")).isRegularFile();
        assertThat(dir.resolve("init.m4a")).isRegularFile();

        await().atMost(Duration.ofSeconds(15)).until(() -> !Files.exists(dir));
    }

    private static String http(String path) {
        return "http://127.0.0.1:" + server.server().httpAddresses().getFirst().getPort() + path;
    }

    private static Document manifest(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return null;
        }
        assertThat(response.headers().firstValue("content-type")).hasValue("application/dash+xml");
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().parse(new InputSource(new StringReader(response.body())));
        } catch (ParserConfigurationException | SAXException e) {
            throw new AssertionError("the manifest is not XML: " + response.body(), e);
        }
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

    private static int segments(Document mpd, String id) {
        if (mpd == null) {
            return 0;
        }
        NodeList representations = mpd.getElementsByTagName("Representation");
        for (int i = 0; i < representations.getLength(); i++) {
            Element representation = (Element) representations.item(i);
            if (representation.getAttribute("id").equals(id)) {
                return representation.getElementsByTagName("S").getLength();
            }
        }
        return 0;
    }
}
