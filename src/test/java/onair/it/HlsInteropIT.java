package onair.it;

import onair.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Real ffmpeg 8 publishes to Onair with HLS on; ffprobe and ffmpeg read what Onair writes: the playlists parse, each
 * segment starts on a keyframe and decodes, timestamps run on across segments, and the video is the published video.
 */
class HlsInteropIT {

    private static final Duration RUN = Duration.ofSeconds(60);
    private static final int TS_PACKET = 188;

    @TempDir
    static Path hls;

    private static TestServer server;

    @BeforeAll
    static void start() throws InterruptedException {
        server = TestServer.start("""
            rtmp { server { listen 127.0.0.1:0; chunk_size 4000;
                application live { live on; hls on; hls_path %1$s/live; hls_fragment 2s; hls_playlist_length 60s;
                    hls_variant _lo BANDWIDTH=400000; hls_variant _hi; }
                application keys { live on; hls on; hls_path %1$s/keys; hls_fragment 2s; hls_keys on;
                    hls_fragments_per_key 2; hls_nested on; }
                application fmp4 { live on; hls on; hls_path %1$s/fmp4; hls_fragment 2s; hls_segment_type fmp4; }
                application ll { live on; hls on; hls_path %1$s/ll; hls_fragment 2s; hls_segment_type fmp4;
                    hls_part 500ms; }
                application clean { live on; hls on; hls_path %1$s/clean; hls_fragment 1s; hls_playlist_length 2s; }
            } }
            http { server { listen 127.0.0.1:0; location /hls/ { alias %1$s/; } } }
            """.formatted(hls));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<Arguments> media() {
        return Stream.of(
            Arguments.of("h264-aac-360p-bframes", (Supplier<Path>) TestMedia::h264Aac360pBFrames, "h264", (byte) 0x1b),
            Arguments.of("hevc-aac-enhanced-rtmp", (Supplier<Path>) TestMedia::hevcAac, "hevc", (byte) 0x24));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("media")
    void everySegmentStartsOnAKeyframeDecodesAndCarriesThePublishedVideo(String name, Supplier<Path> media,
            String codec, byte streamType) throws IOException {
        Path file = media.get();
        publish(file, "live", name);
        Path playlist = hls.resolve("live").resolve(name + ".m3u8");
        String text = awaitEnded(playlist);

        List<Segment> segments = segments(text);
        assertThat(segments).hasSize(3);
        for (Segment segment : segments.subList(0, segments.size() - 1)) {
            assertThat(segment.duration()).isCloseTo(2.0, within(0.05));
        }
        long target = (long) Math.ceil(segments.stream().mapToDouble(Segment::duration).max().orElseThrow());
        assertThat(text).contains("#EXT-X-TARGETDURATION:" + target + "\n", "#EXT-X-MEDIA-SEQUENCE:0\n");
        long previousEnd = -1;
        for (Segment segment : segments) {
            Path ts = playlist.resolveSibling(segment.uri());
            PacketList packets = PacketList.probe(ts);
            assertThat(packets.video().getFirst().flags()).as(segment.uri() + " starts on a keyframe").startsWith("K");
            assertDecodes(ts.toString());
            String streams = Ffmpeg.probe("streams-" + segment.uri(), RUN, "-show_entries",
                "stream=codec_name", "-of", "csv=p=0", ts.toString());
            assertThat(streams.lines().filter(line -> !line.isBlank()).distinct().toList())
                .containsExactlyInAnyOrder(codec, "aac");
            byte[] bytes = Files.readAllBytes(ts);
            assertThat(bytes[TS_PACKET + 5 + 12]).as("the PMT's video stream_type").isEqualTo(streamType);
            long firstDts = packets.video().getFirst().dts();
            if (previousEnd >= 0) {
                assertThat(firstDts).as("timestamps run on into " + segment.uri()).isEqualTo(previousEnd);
            }
            previousEnd = packets.video().getLast().dts() + 3600;
        }
        assertDecodes(playlist.toString());
        assertThat(Ffmpeg.probe("probe-" + name + ".m3u8", RUN, "-show_entries", "format=format_name,nb_streams",
            "-of", "compact=p=0", playlist.toString())).contains("format_name=hls", "nb_streams=2");

        assertThat(videoHashes(playlist.toString(), codec)).as("the published video, packet for packet")
            .isEqualTo(videoHashes(file.toString(), codec));
        assertAudioRelayed(file, playlist);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("media")
    void fragmentedMp4SegmentsWithTheirInitSegmentStartOnAKeyframeAndCarryThePublishedVideo(String name,
            Supplier<Path> media, String codec, byte streamType) throws IOException {
        Path file = media.get();
        publish(file, "fmp4", name);
        Path playlist = hls.resolve("fmp4").resolve(name + ".m3u8");
        String text = awaitEnded(playlist);

        assertThat(text).startsWith("#EXTM3U\n#EXT-X-VERSION:7\n")
            .contains("#EXT-X-MAP:URI=\"" + name + "-init-0.mp4\"\n");
        List<Segment> segments = segments(text);
        assertThat(segments).hasSize(3);
        byte[] init = Files.readAllBytes(playlist.resolveSibling(name + "-init-0.mp4"));
        for (Segment segment : segments) {
            assertThat(segment.uri()).endsWith(".m4s");
            Path whole = hls.resolve("whole-" + segment.uri() + ".mp4");
            Files.write(whole, init);
            Files.write(whole, Files.readAllBytes(playlist.resolveSibling(segment.uri())),
                java.nio.file.StandardOpenOption.APPEND);
            assertThat(PacketList.probe(whole).video().getFirst().flags()).as(segment.uri() + " starts on a keyframe")
                .startsWith("K");
            assertDecodes(whole.toString());
        }
        assertDecodes(playlist.toString());
        assertThat(videoHashes(playlist.toString(), codec)).as("the published video, packet for packet")
            .isEqualTo(videoHashes(file.toString(), codec));
        assertAudioRelayed(file, playlist);
    }

    @Test
    void lowLatencyPartsAreListedWithinTheirTargetAndMakeUpTheirSegments() throws IOException {
        publish(TestMedia.h264Aac360p(), "ll", "low");
        Path playlist = hls.resolve("ll/low.m3u8");
        String text = awaitEnded(playlist);

        assertThat(text).contains("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.500\n#EXT-X-PART-INF:PART-TARGET=0.500\n")
            .doesNotContain("PRELOAD-HINT");
        List<Segment> segments = segments(text);
        assertThat(segments).hasSize(3);
        for (int s = 0; s < segments.size(); s++) {
            Matcher part = Pattern.compile("#EXT-X-PART:DURATION=([0-9.]+),URI=\"(low-" + s + "\\.[0-9]+\\.m4s)\"(,INDEPENDENT=YES)?\n")
                .matcher(text);
            java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
            double total = 0;
            int count = 0;
            while (part.find()) {
                double duration = Double.parseDouble(part.group(1));
                assertThat(duration).isLessThanOrEqualTo(0.5);
                if (count == 0) {
                    assertThat(part.group(3)).as("the first part of segment " + s + " is independent").isNotNull();
                }
                total += duration;
                count++;
                joined.write(Files.readAllBytes(playlist.resolveSibling(part.group(2))));
            }
            assertThat(count).isGreaterThanOrEqualTo(4);
            assertThat(total).isCloseTo(segments.get(s).duration(), within(0.002));
            assertThat(joined.toByteArray()).as("segment " + s + " is its parts")
                .isEqualTo(Files.readAllBytes(playlist.resolveSibling(segments.get(s).uri())));
        }
        assertDecodes(playlist.toString());
    }

    @Test
    void blockingPlaylistReloadsReturnEachRequestedPartAsItIsWritten() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + server.server().httpAddresses().getFirst().getPort() + "/hls/ll/";
        try (FfmpegPublisher publisher = FfmpegPublisher.builder(TestMedia.h264Aac360p(), server.url("ll", "blocking"))
            .loop().name("publish-blocking").start()) {
            await().atMost(RUN).until(() -> {
                HttpResponse<String> first = client.send(HttpRequest.newBuilder(URI.create(base + "blocking.m3u8"))
                    .build(), HttpResponse.BodyHandlers.ofString());
                return first.statusCode() == 200 && first.body().contains("#EXT-X-PRELOAD-HINT");
            });
            String playlist = client.send(HttpRequest.newBuilder(URI.create(base + "blocking.m3u8")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
            assertThat(playlist).contains("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.500\n");
            List<String> requested = new ArrayList<>();
            for (int reload = 0; reload < 8; reload++) {
                Matcher hint = Pattern.compile("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"(blocking-([0-9]+)\\.([0-9]+)\\.m4s)\"")
                    .matcher(playlist);
                assertThat(hint.find()).as("a preload hint in\n" + playlist).isTrue();
                String query = "?_HLS_msn=" + hint.group(2) + "&_HLS_part=" + hint.group(3);
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    URI.create(base + "blocking.m3u8" + query)).timeout(RUN).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(query).isEqualTo(200);
                playlist = response.body();
                String part = hint.group(1);
                assertThat(playlist.lines().anyMatch(line -> line.startsWith("#EXT-X-PART:")
                    && line.contains("URI=\"" + part + "\""))).as(query + " lists " + part + " in\n" + playlist).isTrue();
                assertThat(playlist.lines().anyMatch(line -> line.startsWith("#EXT-X-PRELOAD-HINT")
                    && line.contains("URI=\"" + part + "\""))).as("the hint moves on").isFalse();
                requested.add(part);
            }
            assertThat(requested).as("the reloads cross a segment boundary").anyMatch(part -> part.endsWith(".0.m4s"));
        }
    }

    @Test
    void variantsAreListedInAMasterPlaylistWithTheirBandwidthResolutionAndCodecs() throws IOException {
        publish(TestMedia.h264Aac360p(), "live", "show_lo");
        publish(TestMedia.h264Aac720p(), "live", "show_hi");
        awaitEnded(hls.resolve("live/show_hi.m3u8"));
        Path master = hls.resolve("live/show.m3u8");

        List<String> lines = Files.readAllLines(master);
        assertThat(lines).hasSize(6);
        assertThat(lines.subList(0, 2)).containsExactly("#EXTM3U", "#EXT-X-VERSION:3");
        assertThat(lines.get(2)).isEqualTo(
            "#EXT-X-STREAM-INF:BANDWIDTH=400000,RESOLUTION=640x360,CODECS=\"avc1.64001e,mp4a.40.2\"");
        assertThat(lines.get(3)).isEqualTo("show_lo.m3u8");
        assertThat(lines.get(4)).matches(
            "#EXT-X-STREAM-INF:BANDWIDTH=[0-9]{7},RESOLUTION=1280x720,CODECS=\"avc1\\.[0-9a-f]{6},mp4a\\.40\\.2\"");
        assertThat(lines.get(5)).isEqualTo("show_hi.m3u8");
        assertThat(Ffmpeg.probe("probe-master", RUN, "-show_entries", "stream=width", "-of", "csv=p=0",
            master.toString()).lines().filter(line -> !line.isBlank()).distinct().toList())
            .containsExactlyInAnyOrder("640", "1280");
    }

    @Test
    void encryptedSegmentsDecryptWithTheirKeyFileAndIvAndKeysRotate() throws Exception {
        publish(TestMedia.h264Aac360p(), "keys", "secret");
        Path dir = hls.resolve("keys/secret");
        String text = awaitEnded(dir.resolve("index.m3u8"));

        Matcher key = Pattern.compile("#EXT-X-KEY:METHOD=AES-128,URI=\"([0-9]+\\.key)\",IV=0x([0-9A-F]{32})\n"
            + "#EXTINF:[0-9.]+,\n([0-9]+\\.ts)\n").matcher(text);
        List<String> keyFiles = new ArrayList<>();
        int segments = 0;
        while (key.find()) {
            segments++;
            keyFiles.add(key.group(1));
            byte[] aes = Files.readAllBytes(dir.resolve(key.group(1)));
            assertThat(aes).hasSize(16);
            assertThat(key.group(2)).isEqualTo("%032X".formatted(Long.parseLong(key.group(3).replace(".ts", ""))));
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(aes, "AES"),
                new IvParameterSpec(HexFormat.of().parseHex(key.group(2))));
            byte[] plain = cipher.doFinal(Files.readAllBytes(dir.resolve(key.group(3))));
            assertThat(plain.length % TS_PACKET).isZero();
            assertThat(plain[0]).isEqualTo((byte) 0x47);
            Path decrypted = hls.resolve("decrypted-" + key.group(3));
            Files.write(decrypted, plain);
            assertDecodes(decrypted.toString());
        }
        assertThat(segments).isEqualTo(3);
        assertThat(keyFiles).containsExactly("0.key", "0.key", "2.key");
        assertDecodes(dir.resolve("index.m3u8").toString());
    }

    @Test
    void cleanupRemovesOldSegmentsAndThePlaylistAfterTheStreamStops() {
        publish(TestMedia.h264Aac360p(), "clean", "brief");
        Path dir = hls.resolve("clean");
        String text = awaitEnded(dir.resolve("brief.m3u8"));
        assertThat(segments(text)).hasSize(1);
        assertThat(text).contains("#EXT-X-MEDIA-SEQUENCE:2\n");

        await().atMost(Duration.ofSeconds(20)).until(() -> {
            try (Stream<Path> files = Files.list(dir)) {
                return files.noneMatch(file -> file.toString().endsWith(".ts") || file.toString().endsWith(".m3u8"));
            }
        });
    }

    @Test
    void closingTheServerWithALivePublisherLeavesACompletePlaylistOfDecodableSegments(@TempDir Path out)
        throws Exception {
        TestServer own = TestServer.start("""
            rtmp { server { listen 127.0.0.1:0;
                application live { live on; hls on; hls_path %s; hls_fragment 1s; } } }
            """.formatted(out));
        Path playlist = out.resolve("running.m3u8");
        try (FfmpegPublisher publisher = FfmpegPublisher.builder(TestMedia.h264Aac360p(), own.url("live", "running"))
            .loop().name("publish-running").start()) {
            await().atMost(RUN).until(() -> Files.isRegularFile(playlist) && segments(Files.readString(playlist))
                .size() >= 2);
            own.close();
        }

        String text = Files.readString(playlist);
        assertThat(text).endsWith("#EXT-X-ENDLIST\n");
        List<Segment> segments = segments(text);
        assertThat(segments.size()).isGreaterThanOrEqualTo(3);
        for (Segment segment : segments) {
            assertDecodes(out.resolve(segment.uri()).toString());
        }
        assertDecodes(playlist.toString());
    }

    /** Every published AAC frame from the first keyframe on is in the HLS output, in order, byte for byte. */
    private static void assertAudioRelayed(Path file, Path playlist) throws IOException {
        List<String> published = audioHashes(file.toString(), false);
        List<String> written = audioHashes(playlist.toString(), true);
        int start = published.indexOf(written.getFirst());
        assertThat(start).as("audio joins within the first frames").isBetween(0, 2);
        assertThat(written).isEqualTo(published.subList(start, published.size()));
    }

    private static List<String> audioHashes(String input, boolean hls) throws IOException {
        Path out = Files.createTempFile(HlsInteropIT.hls, "framemd5", ".txt");
        List<String> args = new ArrayList<>(List.of("-y"));
        if (hls) {
            args.addAll(List.of("-allowed_extensions", "ALL"));
        }
        args.addAll(List.of("-i", input, "-map", "0:a", "-c", "copy"));
        if (hls) {
            args.addAll(List.of("-bsf:a", "aac_adtstoasc"));
        }
        args.addAll(List.of("-f", "framemd5", out.toString()));
        Ffmpeg.run("audio-framemd5-" + Path.of(input).getFileName(), RUN, args.toArray(String[]::new));
        return Files.readAllLines(out).stream().filter(line -> !line.startsWith("#"))
            .map(line -> line.split(",")[5].trim()).toList();
    }

    private static void publish(Path file, String app, String name) {
        try (FfmpegPublisher publisher = FfmpegPublisher.builder(file, server.url(app, name)).realtime(false)
            .name("publish-" + name).start()) {
            publisher.awaitCompletion(RUN);
        }
    }

    private static String awaitEnded(Path playlist) {
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.isRegularFile(playlist)
            && Files.readString(playlist).contains("#EXT-X-ENDLIST"));
        try {
            return Files.readString(playlist);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    record Segment(double duration, String uri) {}

    private static List<Segment> segments(String playlist) {
        List<Segment> segments = new ArrayList<>();
        Matcher m = Pattern.compile("#EXTINF:([0-9.]+),\n(\\S+)\n").matcher(playlist);
        while (m.find()) {
            segments.add(new Segment(Double.parseDouble(m.group(1)), m.group(2)));
        }
        return segments;
    }

    private static void assertDecodes(String input) {
        List<String> args = new ArrayList<>(List.of("-v", "error", "-xerror"));
        if (input.endsWith(".m3u8")) {
            args.addAll(List.of("-allowed_extensions", "ALL"));
        }
        args.addAll(List.of("-i", input, "-f", "null", "-"));
        Ffmpeg.run("decode-" + Path.of(input).getFileName(), RUN, args.toArray(String[]::new));
    }

    /** The MD5 of each video packet's NAL units other than parameter sets, delimiters and SEI, in Annex B. */
    private static List<String> videoHashes(String input, String codec) throws IOException {
        String removed = codec.equals("h264") ? "6|7|8|9" : "32|33|34|35|39|40";
        Path out = Files.createTempFile(hls, "framemd5", ".txt");
        Ffmpeg.run("framemd5-" + Path.of(input).getFileName(), RUN, "-y", "-i", input, "-map", "0:v", "-c", "copy",
            "-bsf:v", codec + "_mp4toannexb,filter_units=remove_types=" + removed, "-f", "framemd5", out.toString());
        return Files.readAllLines(out).stream().filter(line -> !line.startsWith("#"))
            .map(line -> line.split(",")[5].trim()).toList();
    }
}
