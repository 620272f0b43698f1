package onair.record;

import onair.it.Ffmpeg;
import onair.it.FfmpegProcess;
import onair.it.FfmpegPublisher;
import onair.it.FlvTag;
import onair.it.PacketList;
import onair.it.Packets;
import onair.it.TestMedia;
import onair.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real ffmpeg publishes to a recording Onair: the recorded FLV is valid for ffprobe and holds every published packet
 * byte for byte, and the parts of a split recording each start with the sequence headers and a keyframe and decode
 * (the first part, opened when publishing starts, may hold audio before the first keyframe, as nginx-rtmp's does).
 */
class RecordInteropIT {

    private static final Duration RUN = Duration.ofSeconds(60);

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
            Arguments.of("h264-aac-360p", (Supplier<Path>) TestMedia::h264Aac360p),
            Arguments.of("h264-aac-360p-bframes", (Supplier<Path>) TestMedia::h264Aac360pBFrames),
            Arguments.of("hevc-aac-enhanced-rtmp", (Supplier<Path>) TestMedia::hevcAac));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("media")
    void theRecordingHoldsEveryPublishedPacketByteForByte(String name, Supplier<Path> media) throws Exception {
        start("record all;");
        Path file = media.get();
        try (FfmpegPublisher publisher = FfmpegPublisher.publish(file, server.url("live", name))) {
            publisher.awaitCompletion(RUN);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> done.size() == 1);
        Path recorded = done.getFirst();

        assertThat(recorded).isEqualTo(dir.resolve(name + ".flv"));
        PacketList published = PacketList.probe(file);
        Packets.Relay relay = Packets.assertRelayed(published, PacketList.probe(recorded)).assertTracksInSync();
        assertThat(relay.video().publishedStart()).isZero();
        assertThat(relay.audio().publishedStart()).isZero();
        assertThat(relay.video().reachesEnd(published.video().size())).as("video reaches the end").isTrue();
        assertThat(relay.audio().reachesEnd(published.audio().size())).as("audio reaches the end").isTrue();
        assertDecodes(recorded);
    }

    @Test
    void eachPartOfASplitRecordingStartsWithHeadersAndAKeyframeAndDecodes() throws Exception {
        start("record all; record_unique on; record_interval 1500ms;");
        Path file = TestMedia.h264Aac360p();
        try (FfmpegPublisher publisher = FfmpegPublisher.publish(file, server.url("live", "split"))) {
            publisher.awaitCompletion(RUN);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> done.size() >= 3);

        assertThat(done).hasSize(3).allMatch(part -> part.getFileName().toString().matches("split-\\d+\\.flv"))
            .doesNotHaveDuplicates();
        PacketList published = PacketList.probe(file);
        int video = 0;
        int audio = 0;
        for (Path part : done) {
            RecordedFile flv = RecordedFile.read(part);
            assertThat(flv.head(3)).as("%s", part).containsExactly("meta", "aac-header", "avc-header");
            assertThat(flv.tags().stream().filter(FlvTag::isCodedFrame).findFirst().orElseThrow().isVideoKeyframe())
                .as("%s starts its video with a keyframe", part).isTrue();
            if (part != done.getFirst()) {
                assertThat(flv.head(4)).as("a split at a keyframe: %s", part).last().isEqualTo("keyframe");
            }
            PacketList packets = PacketList.probe(part);
            Packets.assertRelayed(published, packets);
            assertDecodes(part);
            video += packets.video().size();
            audio += packets.audio().size();
        }
        assertThat(video).as("no video packet lost between parts").isEqualTo(published.video().size());
        assertThat(audio).as("no audio packet lost between parts").isEqualTo(published.audio().size());
    }

    private static void assertDecodes(Path file) {
        try (FfmpegProcess decode = Ffmpeg.start("decode-" + file.getFileName(), "-v", "error", "-i", file.toString(),
            "-f", "null", "-")) {
            decode.assertExitsNormally(RUN);
            assertThat(decode.stderrTail()).as("ffmpeg errors decoding %s", file).isEmpty();
        }
    }
}
