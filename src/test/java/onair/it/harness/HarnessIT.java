package onair.it.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import onair.it.Ffmpeg;
import onair.it.FfmpegPlayer;
import onair.it.FfmpegProcess;
import onair.it.FfmpegPublisher;
import onair.it.FlvTag;
import onair.it.FlvTagReader;
import onair.it.FreePort;
import onair.it.Packet;
import onair.it.PacketList;
import onair.it.Packets;
import onair.it.TestMedia;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** Proves the interop tooling against ffmpeg's own RTMP listener instead of Onair. */
class HarnessIT {

    private static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

    @Test
    void generatesTheTestMedia() {
        long started = System.nanoTime();
        Path h264 = TestMedia.h264Aac360p();
        Path bFrames = TestMedia.h264Aac360pBFrames();
        Path hd = TestMedia.h264Aac720p();
        Path hevc = TestMedia.hevcAac();
        System.out.printf("test media ready in %d ms%n", (System.nanoTime() - started) / 1_000_000);

        assertThat(codecs(h264)).isEqualTo("h264,video|aac,audio");
        assertThat(codecs(bFrames)).isEqualTo("h264,video|aac,audio");
        assertThat(codecs(hd)).isEqualTo("h264,video|aac,audio");
        assertThat(codecs(hevc)).isEqualTo("hevc,video|aac,audio");

        List<Packet> plain = PacketList.probe(h264).video();
        assertThat(plain).hasSizeBetween(140, 160).allMatch(p -> p.pts() == p.dts());
        assertThat(plain.stream().filter(Packet::keyframe).count()).isEqualTo(3);
        assertThat(PacketList.probe(bFrames).video()).anyMatch(p -> p.pts() != p.dts());
    }

    @Test
    void hevcIsWrittenAsEnhancedRtmpTags() throws IOException {
        List<FlvTag> video = new ArrayList<>();
        try (InputStream in = Files.newInputStream(TestMedia.hevcAac())) {
            FlvTagReader reader = new FlvTagReader(in);
            for (FlvTag tag = reader.next(); tag != null; tag = reader.next()) {
                if (tag.type() == FlvTag.VIDEO) {
                    video.add(tag);
                }
            }
        }

        assertThat(video).allMatch(FlvTag::isEnhanced).allMatch(t -> t.videoCodec().equals("hvc1"));
        assertThat(video.getFirst().isSequenceHeader()).isTrue();
        List<FlvTag> frames = video.stream().filter(FlvTag::isCodedFrame).toList();
        assertThat(frames.getFirst().isVideoKeyframe()).isTrue();
        assertThat(frames.stream().filter(FlvTag::isVideoKeyframe).count()).isEqualTo(3);
    }

    @Test
    void listenerReceivesExactlyWhatWasPublished() {
        Path media = TestMedia.h264Aac360p();

        PacketList received = relayThroughListener(media, "listen", true);

        Packets.Relay relay = Packets.assertRelayed(PacketList.probe(media), received).assertTracksInSync();
        assertThat(relay.video().publishedStart()).isZero();
        assertThat(relay.video().ptsOffset()).isZero();
        assertThat(relay.video().reachesEnd(PacketList.probe(media).video().size())).isTrue();
    }

    @Test
    void bFramesAndHevcSurviveTheRelayByteForByte() {
        for (Path media : List.of(TestMedia.h264Aac360pBFrames(), TestMedia.hevcAac())) {
            String name = "listen-" + media.getFileName().toString().replaceAll("-[0-9a-f]{8}\\.flv$", "");

            PacketList received = relayThroughListener(media, name, false);

            Packets.Relay relay = Packets.assertRelayed(PacketList.probe(media), received).assertTracksInSync();
            assertThat(relay.video().count()).isEqualTo(PacketList.probe(media).video().size());
        }
    }

    @Test
    void playerRecordingStoppedWithSigtermIsFinalisedAndContiguous() throws IOException {
        Path media = TestMedia.h264Aac360p();
        int port = FreePort.pick();
        String url = "rtmp://127.0.0.1:" + port + "/live/x";
        try (FfmpegProcess server = Ffmpeg.start("listen-serve", "-re", "-i", media.toString(), "-c", "copy",
                "-f", "flv", "-listen", "1", url)) {
            FreePort.awaitListening(port, LISTEN_TIMEOUT, server);
            try (FfmpegPlayer player = FfmpegPlayer.record(url, "sigterm")) {
                await().atMost(RUN_TIMEOUT).until(() -> player.recordedBytes() > 200_000 || !player.process().isAlive());
                assertThat(player.process().isAlive()).as("player still playing%s", player.process().describe())
                        .isTrue();

                player.stop();

                assertThat(player.process().exitCode()).hasValue(255);
                assertThat(metadataNumber(player.recording(), "filesize"))
                        .as("onMetaData filesize rewritten by the FLV trailer")
                        .isEqualTo((double) Files.size(player.recording()));
                assertThat(metadataNumber(player.recording(), "duration")).isPositive();
                Packets.Relay relay = Packets.assertRelayed(PacketList.probe(media), player.packets())
                        .assertTracksInSync();
                assertThat(relay.video().count()).isLessThan(PacketList.probe(media).video().size());
            }
        }
    }

    @Test
    void measuresTimeToFirstKeyframe() {
        Duration toKeyframe = timeToFirstKeyframeFromListener();

        System.out.println("time to first keyframe from ffmpeg's listener: " + toKeyframe.toMillis() + " ms");
        assertThat(toKeyframe).isPositive();
    }

    private static Duration timeToFirstKeyframeFromListener(String... inputArgs) {
        int port = FreePort.pick();
        String url = "rtmp://127.0.0.1:" + port + "/live/x";
        try (FfmpegProcess server = Ffmpeg.start("listen-serve-keyframe", "-re", "-i",
                TestMedia.h264Aac360p().toString(), "-c", "copy", "-f", "flv", "-listen", "1", url)) {
            FreePort.awaitListening(port, LISTEN_TIMEOUT, server);

            return FfmpegPlayer.timeToFirstKeyframe(url, RUN_TIMEOUT, inputArgs);
        }
    }

    private static PacketList relayThroughListener(Path media, String name, boolean realtime) {
        int port = FreePort.pick();
        String url = "rtmp://127.0.0.1:" + port + "/live/x";
        Path recording = FfmpegPlayer.DIR.resolve(name + ".flv").toAbsolutePath();
        try {
            Files.createDirectories(FfmpegPlayer.DIR);
            Files.deleteIfExists(recording);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        try (FfmpegProcess recorder = Ffmpeg.start("recorder-" + name, "-listen", "1", "-i", url, "-c", "copy",
                "-f", "flv", recording.toString())) {
            FreePort.awaitListening(port, LISTEN_TIMEOUT, recorder);
            try (FfmpegPublisher publisher = FfmpegPublisher.builder(media, url).name("publish-" + name)
                    .realtime(realtime).start()) {
                publisher.awaitCompletion(RUN_TIMEOUT);
            }
            recorder.assertExitsNormally(RUN_TIMEOUT);
        }
        return PacketList.probe(recording);
    }

    private static double metadataNumber(Path flv, String key) throws IOException {
        try (InputStream in = Files.newInputStream(flv)) {
            FlvTag script = new FlvTagReader(in).next();
            assertThat(script.type()).isEqualTo(FlvTag.SCRIPT);
            byte[] body = script.body();
            byte[] name = key.getBytes(StandardCharsets.US_ASCII);
            for (int i = 2; i + name.length + 9 <= body.length; i++) {
                if (body[i - 2] == 0 && body[i - 1] == name.length
                        && Arrays.equals(body, i, i + name.length, name, 0, name.length)
                        && body[i + name.length] == 0) {
                    return ByteBuffer.wrap(body, i + name.length + 1, 8).getDouble();
                }
            }
            return Assertions.fail("no number %s in onMetaData of %s", key, flv);
        }
    }

    private static String codecs(Path media) {
        return String.join("|", Ffmpeg.probe("ffprobe-codecs", RUN_TIMEOUT, "-show_entries",
                "stream=codec_name,codec_type", "-of", "csv=p=0", media.toString()).strip().lines().toList());
    }
}
