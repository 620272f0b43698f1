package onair.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Locates the ffmpeg and ffprobe executables shipped by {@code org.bytedeco:ffmpeg} and starts them as bounded,
 * logged child processes.
 */
public final class Ffmpeg {

    /** Where every process's stderr (and stdout unless piped) is written. */
    public static final Path LOG_DIR = Path.of("target", "ffmpeg-logs");

    /** Longest a process may live before the watchdog kills it, unless a start method is given another bound. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(2);

    private static final List<String> FFMPEG_DEFAULTS = List.of("-hide_banner", "-nostdin", "-loglevel", "warning");
    private static final List<String> FFPROBE_DEFAULTS = List.of("-hide_banner", "-v", "error");
    private static final Map<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();

    private static Path ffmpeg;
    private static Path ffprobe;

    private Ffmpeg() {
    }

    /** The ffmpeg executable, extracted and checked once per JVM. */
    public static synchronized Path ffmpegPath() {
        if (ffmpeg == null) {
            ffmpeg = locate(org.bytedeco.ffmpeg.ffmpeg.class, "ffmpeg", null);
        }
        return ffmpeg;
    }

    /** The ffprobe executable, extracted and checked once per JVM. */
    public static synchronized Path ffprobePath() {
        if (ffprobe == null) {
            ffprobe = locate(org.bytedeco.ffmpeg.ffprobe.class, "ffprobe", ffmpegPath().resolveSibling("ffprobe"));
        }
        return ffprobe;
    }

    /** Starts ffmpeg with {@code -hide_banner -nostdin -loglevel warning} before {@code args}; stdout goes to a file. */
    public static FfmpegProcess start(String name, String... args) {
        return launch(ffmpegPath(), name, FFMPEG_DEFAULTS, List.of(args), false, DEFAULT_LIFETIME);
    }

    /** Like {@link #start}, but stdout stays a pipe readable through {@link FfmpegProcess#stdout()}. */
    public static FfmpegProcess startPiped(String name, String... args) {
        return launch(ffmpegPath(), name, FFMPEG_DEFAULTS, List.of(args), true, DEFAULT_LIFETIME);
    }

    /** Starts ffmpeg with the given lifetime bound instead of {@link #DEFAULT_LIFETIME}. */
    public static FfmpegProcess start(String name, Duration lifetime, String... args) {
        return launch(ffmpegPath(), name, FFMPEG_DEFAULTS, List.of(args), false, lifetime);
    }

    /** Runs ffmpeg to completion and fails, with its stderr tail, unless it exits 0 within {@code timeout}. */
    public static void run(String name, Duration timeout, String... args) {
        try (FfmpegProcess p = launch(ffmpegPath(), name, FFMPEG_DEFAULTS, List.of(args), false, timeout)) {
            p.assertExitsNormally(timeout);
        }
    }

    /** Runs ffprobe ({@code -hide_banner -v error} first) to completion and returns its stdout. */
    public static String probe(String name, Duration timeout, String... args) {
        try (FfmpegProcess p = launch(ffprobePath(), name, FFPROBE_DEFAULTS, List.of(args), false, timeout)) {
            p.assertExitsNormally(timeout);
            return Files.readString(p.stdoutFile(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read ffprobe output for " + name, e);
        }
    }

    private static FfmpegProcess launch(Path exe, String name, List<String> defaults, List<String> args,
                                        boolean pipeStdout, Duration lifetime) {
        List<String> command = new ArrayList<>();
        command.add(exe.toString());
        command.addAll(defaults);
        command.addAll(args);
        String logName = uniqueName(name);
        try {
            Files.createDirectories(LOG_DIR);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + LOG_DIR, e);
        }
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectError(LOG_DIR.resolve(logName + ".stderr").toFile());
        Path stdoutFile = null;
        if (!pipeStdout) {
            stdoutFile = LOG_DIR.resolve(logName + ".stdout");
            pb.redirectOutput(stdoutFile.toFile());
        }
        pb.environment().merge("LD_LIBRARY_PATH", exe.getParent().toString(), (old, dir) -> dir + ":" + old);
        return FfmpegProcess.start(logName, pb, stdoutFile, lifetime);
    }

    private static String uniqueName(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        int n = RUNS.computeIfAbsent(safe, k -> new AtomicInteger()).incrementAndGet();
        return n == 1 ? safe : safe + "-" + n;
    }

    private static Path locate(Class<?> presetClass, String tool, Path fallback) {
        Path exe = null;
        Throwable loadFailure = null;
        try {
            String loaded = org.bytedeco.javacpp.Loader.load(presetClass);
            if (loaded != null) {
                exe = Path.of(loaded);
            }
        } catch (Throwable t) {
            loadFailure = t;
        }
        if ((exe == null || !Files.isExecutable(exe)) && fallback != null && Files.isExecutable(fallback)) {
            exe = fallback;
        }
        if (exe == null || !Files.isExecutable(exe)) {
            throw new IllegalStateException(tool + " executable not found through org.bytedeco:ffmpeg"
                    + " (Loader.load(" + presetClass.getName() + ") gave "
                    + (loadFailure == null ? exe : loadFailure.getClass().getSimpleName() + ":" + causes(loadFailure))
                    + ")." + hint(causes(loadFailure)), loadFailure);
        }
        checkRuns(exe, tool);
        return exe;
    }

    private static void checkRuns(Path exe, String tool) {
        try {
            Files.createDirectories(LOG_DIR);
            Path log = LOG_DIR.resolve(tool + "-version.log");
            ProcessBuilder pb = new ProcessBuilder(exe.toString(), "-hide_banner", "-version")
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().merge("LD_LIBRARY_PATH", exe.getParent().toString(), (old, dir) -> dir + ":" + old);
            Process p = pb.start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(tool + " -version did not finish in 30 s: " + exe);
            }
            String text = Files.readString(log, StandardCharsets.ISO_8859_1);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(tool + " at " + exe + " does not run (exit " + p.exitValue() + "): "
                        + text.strip() + hint(text));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + tool + " at " + exe, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking " + tool, e);
        }
    }

    private static String causes(Throwable t) {
        StringBuilder text = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            text.append(' ').append(c.getMessage());
        }
        return text.toString();
    }

    private static String hint(String failure) {
        return failure.contains("libpulse")
                ? " The bytedeco ffmpeg build links libpulse.so.0: install it (Debian: apt-get install libpulse0)."
                : "";
    }
}
