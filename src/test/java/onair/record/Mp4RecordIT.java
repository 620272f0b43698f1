package onair.record;

import onair.it.FfmpegPublisher;
import onair.it.PacketList;
import onair.it.TestMedia;
import onair.config.ServerConfig;
import onair.mp4.FragmentedFile;
import onair.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import tools.jackson.jr.ob.JSON;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real ffmpeg publishes to an Onair recording MP4: a cleanly stopped recording is a regular MP4 (one {@code moov}, no
 * fragments) that ffprobe reads with every published frame and the published duration, and that {@code ffmpeg -ss}
 * seeks (audio-only and split recordings too); with {@code record_fragmented on} it stays fragmented and still holds
 * every frame; a reload recovers a partial recording and leaves other files alone. The playback listing
 * answers a stream's recordings and the media of a time range, and the static file server serves them by ranges.
 */
class Mp4RecordIT {

    private static final Duration RUN = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private TestServer server;
    private final List<Path> done = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(String record) throws InterruptedException {
        server = TestServer.start("rtmp { server { listen 127.0.0.1:0; chunk_size 4000; application live { live on; "
            + "record_path " + dir + "; " + record + " } } }");
        server.server().recorders().listen((stream, recorder, file, publisher) -> done.add(file));
    }

    static Stream<Arguments> media() {
        return Stream.of(
            Arguments.of("h264-aac", (Supplier<Path>) TestMedia::h264Aac360p),
            Arguments.of("h264-aac-bframes", (Supplier<Path>) TestMedia::h264Aac360pBFrames),
            Arguments.of("hevc-aac", (Supplier<Path>) TestMedia::hevcAac));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("media")
    void aStoppedRecordingIsARegularMp4WithEveryFrameThatSeeks(String name, Supplier<Path> media) throws Exception {
        start("record all; record_suffix .mp4;");
        Path file = media.get();
        try (FfmpegPublisher publisher = FfmpegPublisher.publish(file, server.url("live", name))) {
            publisher.awaitCompletion(RUN);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> done.size() == 1);
        Path recorded = done.getFirst();

        assertThat(recorded).isEqualTo(dir.resolve(name + ".mp4"));
        assertThat(state(recorded)).isEqualTo(FragmentedFile.State.FINALISED);
        assertThat(Mp4Probe.topLevelBoxes(recorded)).containsExactly("ftyp", "mdat", "moov");
        Mp4Probe probe = Mp4Probe.of(recorded);
        assertThat(probe.formatName()).startsWith("mov,mp4");
        PacketList published = PacketList.probe(file);
        assertThat(probe.frames("v:0")).isEqualTo(published.video().size());
        assertThat(probe.frames("a:0")).isEqualTo(published.audio().size());
        assertThat(probe.nbFrames().get("v:0")).as("nb_frames from the moov").isEqualTo(published.video().size());
        assertThat(probe.duration()).isBetween(5.5, 6.5);
        assertThat(Mp4Probe.decodedFramesFrom(recorded, 3)).as("frames decoded after -ss 3").isBetween(50, 90);
    }

    @Test
    void aFragmentedRecordingKeepsItsFragmentsAndEveryFrame() throws Exception {
        start("record all; record_suffix .mp4; record_fragmented on;");
        Path file = TestMedia.h264Aac360p();
        try (FfmpegPublisher publisher = FfmpegPublisher.publish(file, server.url("live", "frag"))) {
            publisher.awaitCompletion(RUN);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> done.size() == 1);
        Path recorded = done.getFirst();

        assertThat(state(recorded)).isEqualTo(FragmentedFile.State.FRAGMENTED);
        assertThat(Mp4Probe.topLevelBoxes(recorded)).contains("moof").endsWith("mfra");
        PacketList published = PacketList.probe(file);
        Mp4Probe probe = Mp4Probe.of(recorded);
        assertThat(probe.frames("v:0")).isEqualTo(published.video().size());
        assertThat(probe.frames("a:0")).isEqualTo(published.audio().size());
    }

    @Test
    void anAudioOnlyRecordingHoldsEveryAudioFrameAndNoVideo() throws Exception {
        start("record audio; record_suffix .m4a;");
        Path file = TestMedia.h264Aac360p();
        try (FfmpegPublisher publisher = FfmpegPublisher.publish(file, server.url("live", "sound"))) {
            publisher.awaitCompletion(RUN);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> done.size() == 1);
        Path recorded = done.getFirst();

        assertThat(Mp4Probe.topLevelBoxes(recorded)).containsExactly("ftyp", "mdat", "moov");
        Mp4Probe probe = Mp4Probe.of(recorded);
        assertThat(probe.frames("v:0")).isEqualTo(-1);
        assertThat(probe.frames("a:0")).isEqualTo(PacketList.probe(file).audio().size());
        assertThat(probe.duration()).isBetween(5.5, 6.5);
    }

    @Test
    void aReloadRecoversAPartialRecordingLeftInTheRecordPath() throws Exception {
        start("record all; record_suffix .mp4; record_fragmented on;");
        try (FfmpegPublisher publisher = FfmpegPublisher.publish(TestMedia.h264Aac360p(), server.url("live", "cut"))) {
            publisher.awaitCompletion(RUN);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> done.size() == 1);
        Path recorded = done.getFirst();
        try (FileChannel channel = FileChannel.open(recorded, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 1000);
        }
        assertThat(state(recorded)).isEqualTo(FragmentedFile.State.PARTIAL);
        Path other = dir.resolve("notes.mp4");
        Files.writeString(other, "not a recording");

        server.server().reload(ServerConfig.parse("rtmp { server { listen 127.0.0.1:0; application live { live on; "
            + "record all; record_suffix .mp4; record_path " + dir + "; } } }", "reload.conf"));

        await().atMost(Duration.ofSeconds(10)).until(() -> state(recorded) == FragmentedFile.State.FINALISED);
        assertThat(Mp4Probe.topLevelBoxes(recorded)).containsExactly("ftyp", "mdat", "moov");
        assertThat(Mp4Probe.of(recorded).duration()).isBetween(4.5, 6.0);
        assertThat(Files.readString(other)).isEqualTo("not a recording");
    }

    @Test
    void eachPartOfASplitMp4RecordingIsARegularMp4AndNoFrameIsLostBetweenThem() throws Exception {
        start("record all; record_suffix .mp4; record_unique on; record_interval 1500ms;");
        Path file = TestMedia.h264Aac360p();
        try (FfmpegPublisher publisher = FfmpegPublisher.publish(file, server.url("live", "split"))) {
            publisher.awaitCompletion(RUN);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> done.size() >= 3);

        assertThat(done).hasSize(3).allMatch(part -> part.getFileName().toString().matches("split-\\d+\\.mp4"))
            .doesNotHaveDuplicates();
        PacketList published = PacketList.probe(file);
        long video = 0;
        long audio = 0;
        for (Path part : done) {
            assertThat(Mp4Probe.topLevelBoxes(part)).as("%s", part).containsExactly("ftyp", "mdat", "moov");
            Mp4Probe probe = Mp4Probe.of(part);
            video += probe.frames("v:0");
            audio += probe.frames("a:0");
        }
        assertThat(video).as("no video frame lost between parts").isEqualTo(published.video().size());
        assertThat(audio).as("no audio frame lost between parts").isEqualTo(published.audio().size());
    }

    @Test
    void thePlaybackListingAndTheStaticFileServerServeTheRecordings() throws Exception {
        Path records = dir.resolve("rec");
        server = TestServer.start("rtmp { server { listen 127.0.0.1:0; chunk_size 4000; application live { live on; "
            + "record all; record_suffix .mp4; record_unique on; record_path " + records + "; } } } "
            + "http { server { listen 127.0.0.1:0; location / { } location /rec { root " + dir + "; } } }");
        server.server().recorders().listen((stream, recorder, file, publisher) -> done.add(file));
        Instant before = Instant.now().minusSeconds(1);
        try (FfmpegPublisher publisher = FfmpegPublisher.publish(TestMedia.h264Aac360p(), server.url("live", "pb"))) {
            publisher.awaitCompletion(RUN);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> done.size() == 1);
        String http = "http://127.0.0.1:" + server.server().httpAddresses().getFirst().getPort();

        HttpResponse<String> listed = HTTP.send(HttpRequest.newBuilder(URI.create(http
            + "/playback/list?app=live&name=pb")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(listed.statusCode()).isEqualTo(200);
        List<Object> entries = JSON.std.listFrom(listed.body());
        assertThat(entries).hasSize(1);
        Map<?, ?> entry = (Map<?, ?>) entries.getFirst();
        Instant start = Instant.parse((String) entry.get("start"));
        assertThat(start).isBetween(before, Instant.now());
        assertThat(((Number) entry.get("duration")).doubleValue()).isBetween(5.5, 6.5);
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(http + "/playback/list?app=live&name=other")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);

        Path range = dir.resolve("range.mp4");
        HttpResponse<Path> got = HTTP.send(HttpRequest.newBuilder(URI.create(http + "/playback/get?path=live/pb&start="
            + start.plusSeconds(3) + "&duration=2")).build(), HttpResponse.BodyHandlers.ofFile(range));
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.headers().firstValue("content-type")).hasValue("video/mp4");
        Mp4Probe cut = Mp4Probe.of(range);
        assertThat(cut.frames("v:0")).as("video frames from the keyframe before 3 s to 5 s").isBetween(50L, 80L);
        assertThat(cut.frames("a:0")).isPositive();

        String file = http + "/rec/" + done.getFirst().getFileName();
        HttpResponse<byte[]> part = HTTP.send(HttpRequest.newBuilder(URI.create(file)).header("Range", "bytes=0-99")
            .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body()).hasSize(100);
        assertThat(part.headers().firstValue("content-type")).hasValue("video/mp4");
        assertThat(Mp4Probe.of(URI.create(file)).frames("v:0")).as("ffprobe reading the MP4 over HTTP")
            .isEqualTo(PacketList.probe(TestMedia.h264Aac360p()).video().size());
    }

    static FragmentedFile.State state(Path file) throws Exception {
        try (FileChannel channel = FileChannel.open(file)) {
            return FragmentedFile.read(channel).state();
        }
    }
}
