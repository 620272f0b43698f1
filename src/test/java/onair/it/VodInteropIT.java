package onair.it;

import io.netty.util.ReferenceCountUtil;
import onair.rtmp.message.CommandMessage;
import onair.rtmp.message.DataMessage;
import onair.rtmp.message.MediaMessage;
import onair.rtmp.message.RtmpMessage;
import onair.rtmp.message.UserControl;
import onair.testing.RtmpTestClient;
import onair.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real ffmpeg and rtmpdump play FLV and MP4 files that Onair serves from {@code play} locations, local and over HTTP:
 * every packet of the file arrives, byte-identical, in order and with the file's timing; a start offset and a
 * {@code seek} begin at the keyframe before it; names that leave the directory and missing files are refused.
 */
class VodInteropIT {

    private static final Duration RUN = Duration.ofSeconds(60);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Predicate<String> VIDEO_FRAME = event -> event.matches("V\\d+\\*?");
    private static final Path DIR = TestMedia.DIR.resolve("vod").toAbsolutePath();

    private static TestServer files;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(DIR);
        Files.copy(TestMedia.h264Aac360p(), DIR.resolve("clip.flv"), StandardCopyOption.REPLACE_EXISTING);
        remux(TestMedia.h264Aac360p(), "clip.mp4");
        remux(TestMedia.h264Aac360p(), "faststart.mp4", "-movflags", "+faststart");
        remux(TestMedia.h264Aac360pBFrames(), "bframes.mp4");
        remux(TestMedia.hevcAac(), "hevc.mp4", "-tag:v", "hvc1");
        files = TestServer.start("rtmp { server { listen 127.0.0.1:0; } } "
            + "http { server { listen 127.0.0.1:0; location /files/ { alias " + DIR + "/; } } }");
        int httpPort = files.server().httpAddresses().getFirst().getPort();
        server = TestServer.start("""
            rtmp { server { listen 127.0.0.1:0; chunk_size 4000;
                application vod { play %1$s; }
                application remote { play /nonexistent-dir http://127.0.0.1:%2$d/files/; }
                application mixed { live on; play %1$s; } } }
            """.formatted(DIR, httpPort));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (files != null) {
            files.close();
        }
    }

    private static void remux(Path source, String name, String... options) throws IOException {
        Path target = DIR.resolve(name);
        Files.deleteIfExists(target);
        List<String> args = new ArrayList<>(List.of("-y", "-loglevel", "error", "-i", source.toString(), "-c", "copy"));
        args.addAll(List.of(options));
        args.add(target.toString());
        Ffmpeg.run("remux-" + name, RUN, args.toArray(String[]::new));
    }

    static Stream<Arguments> files() {
        return Stream.of(
            Arguments.of("vod", "clip.flv", TestMedia.h264Aac360p()),
            Arguments.of("vod", "clip", TestMedia.h264Aac360p()),
            Arguments.of("vod", "clip.mp4", DIR.resolve("clip.mp4")),
            Arguments.of("vod", "mp4:faststart", DIR.resolve("faststart.mp4")),
            Arguments.of("vod", "bframes.mp4", DIR.resolve("bframes.mp4")),
            Arguments.of("vod", "hevc.mp4", DIR.resolve("hevc.mp4")),
            Arguments.of("remote", "clip.mp4", DIR.resolve("clip.mp4")),
            Arguments.of("remote", "clip.flv", TestMedia.h264Aac360p()));
    }

    /** Each file against ffprobe's reading of it, with MP4 timestamps in milliseconds as FLV has them. */
    @ParameterizedTest(name = "{0}/{1}")
    @MethodSource("files")
    void ffmpegReceivesEveryPacketOfTheFileInOrderAndInRealTime(String app, String name, Path source) {
        long started = System.nanoTime();
        try (FfmpegPlayer player = FfmpegPlayer.record(server.url(app, name), app + "-" + name.replace(':', '-'))) {
            player.awaitEnd(RUN);
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            PacketList file = source.toString().endsWith(".mp4") ? PacketList.probeMillis(source)
                : PacketList.probe(source);
            Packets.Relay relay = Packets.assertRelayed(file, player.packets()).assertTracksInSync();
            assertThat(relay.video().publishedStart()).as("video starts at the file's first packet").isZero();
            assertThat(relay.video().reachesEnd(file.video().size())).as("video reaches the end").isTrue();
            assertThat(relay.audio().reachesEnd(file.audio().size())).as("audio reaches the end").isTrue();
            assertThat(took).as("paced in real time: 6 s of media, at most 1 s ahead")
                .isGreaterThan(Duration.ofSeconds(4));
        }
    }

    /** rtmpdump writes the timestamps it receives shifted by the start it asked for, as it does with nginx-rtmp. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("startOffsetFiles")
    void rtmpdumpWithAStartOffsetBeginsAtTheKeyframeBeforeIt(String name) throws Exception {
        Path out = FfmpegPlayer.DIR.resolve("rtmpdump-start-" + name + ".flv").toAbsolutePath();
        Files.createDirectories(out.getParent());
        Files.deleteIfExists(out);
        Process rtmpdump = rtmpdump(name, "-r", server.url("vod", name), "--start", "3", "-o", out.toString());
        assertThat(rtmpdump.waitFor(RUN.toSeconds(), TimeUnit.SECONDS)).as("rtmpdump ends").isTrue();
        assertThat(rtmpdump.exitValue()).as("rtmpdump exit code").isZero();

        PacketList received = PacketList.probe(out);
        long keyframe = keyframeAtOrBefore(3000);
        assertThat(received.video()).isNotEmpty();
        assertThat(received.video().getFirst().keyframe()).isTrue();
        assertThat(received.video().getFirst().dts()).as("the keyframe before 3 s").isEqualTo(keyframe + 3000);
        PacketList file = PacketList.probe(TestMedia.h264Aac360p());
        assertThat(received.video()).hasSize((int) file.video().stream().filter(p -> p.dts() >= keyframe).count());
    }

    static Stream<String> startOffsetFiles() {
        return Stream.of("clip.flv", "clip.mp4");
    }

    @Test
    void seekRestartsAtTheKeyframeBeforeTheTargetAndPauseHolds() throws Exception {
        try (RtmpTestClient client = RtmpTestClient.open(server.address())) {
            client.connect("vod");
            int stream = client.createStream();
            client.play(stream, "clip.flv");
            List<String> events = new ArrayList<>();
            readUntil(client, events, VIDEO_FRAME, WAIT);
            assertThat(events.getLast()).as("the file's first keyframe")
                .isEqualTo("V" + keyframeAtOrBefore(1000) + "*");
            assertThat(events).startsWith("STREAM_BEGIN", "NetStream.Play.Reset", "NetStream.Play.Start",
                "STREAM_IS_RECORDED", "|RtmpSampleAccess", "onMetaData", "V-seq", "A-seq");

            client.send(new CommandMessage(stream, 0, "seek", 0, null, List.of(4500.0)));
            List<String> afterSeek = new ArrayList<>();
            readUntil(client, afterSeek, "NetStream.Seek.Notify"::equals, WAIT);
            List<String> resumed = new ArrayList<>();
            readUntil(client, resumed, VIDEO_FRAME, WAIT);
            assertThat(resumed).containsSubsequence("STREAM_BEGIN", "onMetaData", "V-seq", "A-seq");
            assertThat(resumed.getLast()).as("first video after the seek: the keyframe before 4.5 s")
                .isEqualTo("V" + keyframeAtOrBefore(4500) + "*");

            client.send(new CommandMessage(stream, 0, "pause", 0, null, List.of(true, 4500.0)));
            List<String> paused = new ArrayList<>();
            readUntil(client, paused, "NetStream.Pause.Notify"::equals, WAIT);
            List<String> whilePaused = new ArrayList<>();
            readUntil(client, whilePaused, "NetStream.Play.Stop"::equals, Duration.ofSeconds(3));
            assertThat(whilePaused).as("nothing plays to the end while paused").doesNotContain("NetStream.Play.Stop");

            client.send(new CommandMessage(stream, 0, "pause", 0, null, List.of(false, 4500.0)));
            List<String> toEnd = new ArrayList<>();
            readUntil(client, toEnd, "NetStream.Play.Stop"::equals, WAIT);
            assertThat(toEnd).contains("NetStream.Unpause.Notify").containsSubsequence("STREAM_EOF", "onPlayStatus",
                "NetStream.Play.Stop");
        }
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("refusals")
    void namesOutsideThePlayDirectoryAndMissingFilesAreRefused(String app, String name, String code) throws Exception {
        try (RtmpTestClient client = RtmpTestClient.open(server.address())) {
            client.connect(app);
            client.play(client.createStream(), name);
            CommandMessage status = client.awaitCommand(c -> c.name().equals("onStatus"));

            assertThat(RtmpTestClient.code(status)).isEqualTo(code);
            assertThat(client.awaitClosed(WAIT)).isTrue();
        }
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
            Arguments.of("vod", "../vod/clip.flv", "NetStream.Play.Failed"),
            Arguments.of("vod", "a/../../clip.flv", "NetStream.Play.Failed"),
            Arguments.of("vod", "missing.mp4", "NetStream.Play.StreamNotFound"),
            Arguments.of("remote", "missing.flv", "NetStream.Play.StreamNotFound"));
    }

    @Test
    void inALiveApplicationAMissingFileFallsBackToTheLiveStream() throws Exception {
        try (RtmpTestClient client = RtmpTestClient.open(server.address())) {
            client.connect("mixed");
            client.play(client.createStream(), "nofile");
            CommandMessage status = client.awaitCommand(c -> c.name().equals("onStatus")
                && !"NetStream.Play.Reset".equals(RtmpTestClient.code(c)));

            assertThat(RtmpTestClient.code(status)).isEqualTo("NetStream.Play.Start");
            assertThat(status.arguments().toString()).contains("Start live");
        }
    }

    /** The dts in ms of the last video keyframe of the test clip at or before {@code millis}. */
    private static long keyframeAtOrBefore(long millis) {
        return PacketList.probe(TestMedia.h264Aac360p()).video().stream()
            .filter(p -> p.keyframe() && p.dts() <= millis).mapToLong(Packet::dts).max().orElseThrow();
    }

    private static Process rtmpdump(String name, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("rtmpdump"));
        command.addAll(List.of(args));
        Files.createDirectories(Ffmpeg.LOG_DIR);
        try {
            return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Ffmpeg.LOG_DIR.resolve("rtmpdump-" + name + ".log").toFile()).start();
        } catch (IOException e) {
            throw new IOException("rtmpdump is needed for this test (apt install rtmpdump): " + e.getMessage(), e);
        }
    }

    /**
     * Reads messages into {@code events} until one matches {@code last} (a video frame reads as {@code V<timestamp>}
     * with {@code *} for a keyframe) or a read times out.
     */
    private static void readUntil(RtmpTestClient client, List<String> events, Predicate<String> last, Duration timeout)
            throws InterruptedException {
        while (true) {
            RtmpMessage message = client.poll(timeout);
            if (message == null) {
                return;
            }
            String event;
            try {
                event = describe(message);
            } finally {
                ReferenceCountUtil.release(message);
            }
            if (event != null) {
                events.add(event);
                if (last.test(event)) {
                    return;
                }
            }
        }
    }

    private static String describe(RtmpMessage message) {
        return switch (message) {
            case CommandMessage c when c.name().equals("onStatus") -> RtmpTestClient.code(c);
            case CommandMessage c -> c.name();
            case DataMessage d -> String.valueOf(d.values().getFirst());
            case UserControl u -> u.event().toString();
            case MediaMessage m when m.typeId() == 9 -> video(m);
            case MediaMessage m -> m.payload().getUnsignedByte(m.payload().readerIndex() + 1) == 0 ? "A-seq" : null;
            default -> null;
        };
    }

    private static String video(MediaMessage m) {
        int first = m.payload().getUnsignedByte(m.payload().readerIndex());
        if (m.payload().getUnsignedByte(m.payload().readerIndex() + 1) == 0) {
            return "V-seq";
        }
        return "V" + m.timestamp() + ((first >> 4) == 1 ? "*" : "");
    }
}
