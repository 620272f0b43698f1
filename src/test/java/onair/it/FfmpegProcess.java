package onair.it;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A running ffmpeg or ffprobe child process whose stderr is logged to a file; it is killed, with its descendants, when
 * closed, when its lifetime bound passes, or when the JVM exits.
 */
public final class FfmpegProcess implements AutoCloseable {

    private static final int TAIL_LINES = 40;
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final Set<FfmpegProcess> LIVE = ConcurrentHashMap.newKeySet();
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ffmpeg-watchdog");
        t.setDaemon(true);
        return t;
    });

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(FfmpegProcess::kill), "ffmpeg-reaper"));
    }

    private final String name;
    private final List<String> command;
    private final Process process;
    private final Instant startedAt;
    private final long startedNanos;
    private final Path stderrFile;
    private final Path stdoutFile;
    private final ScheduledFuture<?> watchdog;
    private volatile boolean killedByWatchdog;

    private FfmpegProcess(String name, List<String> command, Process process, Instant startedAt, long startedNanos,
                          Path stderrFile, Path stdoutFile, Duration lifetime) {
        this.name = name;
        this.command = command;
        this.process = process;
        this.startedAt = startedAt;
        this.startedNanos = startedNanos;
        this.stderrFile = stderrFile;
        this.stdoutFile = stdoutFile;
        LIVE.add(this);
        this.watchdog = WATCHDOG.schedule(() -> {
            if (process.isAlive()) {
                killedByWatchdog = true;
                kill();
            }
        }, lifetime.toMillis(), TimeUnit.MILLISECONDS);
        process.onExit().thenRun(() -> {
            watchdog.cancel(false);
            LIVE.remove(this);
        });
    }

    static FfmpegProcess start(String name, ProcessBuilder pb, Path stdoutFile, Duration lifetime) {
        Path stderrFile = pb.redirectError().file().toPath();
        try {
            Instant at = Instant.now();
            long nanos = System.nanoTime();
            Process p = pb.start();
            return new FfmpegProcess(name, List.copyOf(pb.command()), p, at, nanos, stderrFile, stdoutFile, lifetime);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + String.join(" ", pb.command()), e);
        }
    }

    /** The unique name used for the log files. */
    public String name() {
        return name;
    }

    /** The full command line. */
    public List<String> command() {
        return command;
    }

    /** Wall-clock time just before the process was started. */
    public Instant startedAt() {
        return startedAt;
    }

    /** {@link System#nanoTime()} just before the process was started. */
    public long startedNanos() {
        return startedNanos;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** The exit code, empty while the process runs. */
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /** The process's stdout when it was started piped. */
    public InputStream stdout() {
        if (stdoutFile != null) {
            throw new IllegalStateException(name + " writes stdout to " + stdoutFile + ", not to a pipe");
        }
        return process.getInputStream();
    }

    /** The file holding stdout, or null when stdout is piped. */
    public Path stdoutFile() {
        return stdoutFile;
    }

    public Path stderrFile() {
        return stderrFile;
    }

    /** Waits for the process to exit and returns its exit code; kills it and fails if it is still running. */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                fail("%s did not exit within %s and was killed%s", name, timeout, describe());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            fail("interrupted while waiting for " + name + describe());
        }
        return process.exitValue();
    }

    /** Waits for the process to exit and fails, with the stderr tail, unless the exit code is 0. */
    public void assertExitsNormally(Duration timeout) {
        int code = waitFor(timeout);
        if (code != 0) {
            fail("%s exited with %d%s", name, code, describe());
        }
    }

    /**
     * Asks the process to end with SIGTERM (ffmpeg then finishes its output file, exiting 255), kills it with its
     * descendants if it is still running after a grace period, and returns the exit code.
     */
    public int stop() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
            }
        }
        kill();
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Kills the process and its descendants at once; does nothing to one that has exited. */
    @Override
    public void close() {
        kill();
    }

    private void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        watchdog.cancel(false);
        LIVE.remove(this);
    }

    /** The last lines written to stderr. */
    public String stderrTail() {
        try {
            if (!Files.exists(stderrFile)) {
                return "";
            }
            List<String> lines = new String(Files.readAllBytes(stderrFile), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + stderrFile + ": " + e + ")";
        }
    }

    /** The command, exit state and stderr tail, for failure messages. */
    public String describe() {
        String state = process.isAlive() ? "running" : "exit " + process.exitValue();
        return "%n  command: %s%n  state: %s%s%n  stderr (%s):%n%s".formatted(String.join(" ", command), state,
                killedByWatchdog ? " (killed by the lifetime watchdog)" : "", stderrFile, indent(stderrTail()));
    }

    private static String indent(String text) {
        return text.isEmpty() ? "    (empty)" : text.lines().map(l -> "    " + l).reduce((a, b) -> a + "\n" + b)
                .orElse("");
    }

    @Override
    public String toString() {
        return name + "[pid " + process.pid() + "]";
    }
}
