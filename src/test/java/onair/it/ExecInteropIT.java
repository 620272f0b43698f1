package onair.it;

import onair.config.ExecConfig;
import onair.exec.ChildOutput;
import onair.exec.ChildSnapshot;
import onair.exec.ChildSpec;
import onair.exec.ExecChild;
import onair.exec.ExecLimits;
import onair.exec.ExecSupervisor;
import onair.exec.Invocation;
import onair.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The exec supervisor running the bundled real ffmpeg: its progress in the log, and why Onair stops with TERM. */
class ExecInteropIT {

    private final ExecSupervisor supervisor = new ExecSupervisor(ExecLimits.defaults(4));

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        supervisor.close();
    }

    private static ChildSpec recording(Path mp4, ExecConfig.KillSignal signal) {
        Path ffmpeg = Ffmpeg.ffmpegPath();
        ExecConfig.Command command = ExecConfig.Command.parse(ExecConfig.Kind.PUSH, List.of("env",
            "LD_LIBRARY_PATH=" + ffmpeg.getParent(), ffmpeg.toString(), "-hide_banner", "-nostdin", "-re",
            "-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-c:v", "libx264", "-preset", "ultrafast",
            "-f", "mp4", mp4.toString()), false);
        return new ChildSpec("src", "cam", ExecConfig.Kind.PUSH, Invocation.of(command, Map.of()), true,
            Duration.ofSeconds(5), signal, null);
    }

    /** The file's duration as ffprobe reads it, or null when ffprobe cannot read it. */
    private static Double duration(Path mp4) throws IOException, InterruptedException {
        Path ffprobe = Ffmpeg.ffprobePath();
        ProcessBuilder builder = new ProcessBuilder(ffprobe.toString(), "-v", "error", "-show_entries",
            "format=duration", "-of", "csv=p=0", mp4.toString()).redirectErrorStream(true);
        builder.environment().put("LD_LIBRARY_PATH", ffprobe.getParent().toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return process.exitValue() == 0 && output.matches("[0-9.]+") ? Double.valueOf(output) : null;
    }

    private ExecChild recordTwoProgressLines(Path mp4, ExecConfig.KillSignal signal, LogCapture output) {
        ExecChild child = supervisor.start(recording(mp4, signal)).orElseThrow();
        await().atMost(30, TimeUnit.SECONDS).until(() -> child.snapshot().state() == ChildSnapshot.State.RUNNING);
        await().atMost(30, TimeUnit.SECONDS).until(() -> output.lines("frame=").size() >= 2);
        return child;
    }

    @Test
    void ffmpegsProgressReachesTheLogLineByLineAndTermLeavesAPlayableMp4() throws Exception {
        Path mp4 = dir.resolve("term.mp4");
        try (LogCapture output = new LogCapture(ChildOutput.class)) {
            ExecChild child = recordTwoProgressLines(mp4, ExecConfig.KillSignal.TERM, output);
            long pid = child.snapshot().pid();

            child.stop().get(30, TimeUnit.SECONDS);

            assertThat(output.lines("frame=")).allMatch(line -> line.startsWith("exec_push src/cam pid " + pid
                + " stderr: frame=") && line.indexOf('\r') < 0);
        }
        assertThat(duration(mp4)).as("ffprobe reads the MP4 ffmpeg finished on TERM").isNotNull().isPositive();
    }

    @Test
    void killLeavesAnMp4WithoutItsIndex() throws Exception {
        Path mp4 = dir.resolve("kill.mp4");
        try (LogCapture output = new LogCapture(ChildOutput.class)) {
            ExecChild child = recordTwoProgressLines(mp4, ExecConfig.KillSignal.KILL, output);

            child.stop().get(30, TimeUnit.SECONDS);

            assertThat(child.snapshot().lastExitCode()).isEqualTo(128 + 9);
        }
        assertThat(duration(mp4)).as("ffprobe cannot read the MP4 of a killed ffmpeg").isNull();
    }
}
