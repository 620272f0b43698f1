package onair.record;

import onair.it.FfmpegPublisher;
import onair.it.TestMedia;
import onair.mp4.FragmentedFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An Onair in a JVM of its own records MP4 while real ffmpeg publishes, and is killed with SIGKILL mid-stream: the
 * file it leaves is read by ffprobe and holds all but at most the last 2 s, and the Onair started again recovers it
 * into a regular MP4 that seeks.
 */
class Mp4RecordCrashIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final double MAX_LOST_SECONDS = 2;

    @TempDir
    Path dir;

    private Process onair;

    @AfterEach
    void stop() throws Exception {
        if (onair != null) {
            onair.destroyForcibly().waitFor();
        }
    }

    @Test
    void aKilledRecordingLosesAtMostTheLastFragmentAndIsRecoveredAtTheNextStart() throws Exception {
        Path records = Files.createDirectories(dir.resolve("records"));
        int port = start(records);
        Path file = records.resolve("crash.mp4");
        double lostAtMost;
        try (FfmpegPublisher publisher = FfmpegPublisher.builder(TestMedia.h264Aac360p(),
                "rtmp://127.0.0.1:" + port + "/live/crash").loop().start()) {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> Files.exists(file) && Files.size(file) > 0);
            long firstFrame = System.nanoTime();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> recordedSeconds(file) >= 5);
            onair.destroyForcibly().waitFor();
            double published = (System.nanoTime() - firstFrame) / 1e9;
            onair = null;
            lostAtMost = published - MAX_LOST_SECONDS;
        }

        assertThat(Mp4RecordIT.state(file)).isEqualTo(FragmentedFile.State.PARTIAL);
        Mp4Probe partial = Mp4Probe.of(file);
        assertThat(partial.duration()).as("seconds recorded before the kill").isGreaterThanOrEqualTo(lostAtMost);
        assertThat(partial.frames("v:0")).isGreaterThan(0);

        start(records);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
            .until(() -> Mp4RecordIT.state(file) == FragmentedFile.State.FINALISED);
        assertThat(Mp4Probe.topLevelBoxes(file)).containsExactly("ftyp", "mdat", "moov");
        Mp4Probe recovered = Mp4Probe.of(file);
        assertThat(recovered.duration()).isGreaterThanOrEqualTo(lostAtMost);
        assertThat(recovered.nbFrames().get("v:0")).isEqualTo(recovered.frames("v:0"))
            .isGreaterThanOrEqualTo(partial.frames("v:0") - 25);
        assertThat(Mp4Probe.decodedFramesFrom(file, 2)).as("frames decoded after -ss 2").isPositive();
    }

    private double recordedSeconds(Path file) {
        try (FileChannel channel = FileChannel.open(file)) {
            return FragmentedFile.read(channel).duration();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Starts {@code onair -c FILE} recording to {@code records}, once it listens; returns its RTMP port. */
    private int start(Path records) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path config = dir.resolve("onair.conf");
        Files.writeString(config, "pid " + dir.resolve("onair.pid") + ";\nrtmp {\n    server { listen 127.0.0.1:"
            + port + "; chunk_size 4000;\n        application live { live on; record all; record_suffix .mp4; "
            + "record_path " + records + "; }\n    }\n}\n");
        Path log = dir.resolve("onair-" + System.nanoTime() + ".log");
        onair = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), "onair.Main", "-c", config.toString())
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            assertThat(onair.isAlive()).as("onair: %s", Files.readString(log)).isTrue();
            return listens(address);
        });
        return port;
    }

    private static boolean listens(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(address, 1000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }
}
