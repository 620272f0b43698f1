package onair.it;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Plays an RTMP URL with ffmpeg and records exactly what arrives ({@code -c copy -f flv target/received/NAME.flv}), or
 * measures how long a fresh player waits for its first video keyframe.
 */
public final class FfmpegPlayer implements AutoCloseable {

    /** Where recordings are written. */
    public static final Path DIR = Path.of("target", "received");

    private final FfmpegProcess process;
    private final Path recording;

    private FfmpegPlayer(FfmpegProcess process, Path recording) {
        this.process = process;
        this.recording = recording;
    }

    /** Starts recording {@code url} into {@code target/received/<name>.flv}, replacing an older recording. */
    public static FfmpegPlayer record(String url, String name, String... inputArgs) {
        Path file = DIR.resolve(name + ".flv").toAbsolutePath();
        try {
            Files.createDirectories(DIR);
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare " + file, e);
        }
        List<String> args = new ArrayList<>(List.of(inputArgs));
        args.addAll(List.of("-i", url, "-c", "copy", "-f", "flv", file.toString()));
        return new FfmpegPlayer(Ffmpeg.start("player-" + name, args.toArray(String[]::new)), file);
    }

    public FfmpegProcess process() {
        return process;
    }

    /** The FLV file being written. */
    public Path recording() {
        return recording;
    }

    /** Bytes recorded so far (ffmpeg writes in blocks, so this grows in steps). */
    public long recordedBytes() {
        try {
            return Files.exists(recording) ? Files.size(recording) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Ends playback with SIGTERM, on which ffmpeg 8 finishes the FLV (trailer, duration) and exits 255; fails, with
     * the stderr tail, on any other exit code but 0. Returns the recording.
     */
    public Path stop() {
        int code = process.stop();
        if (code != 0 && code != 255) {
            fail("player %s ended with exit code %d%s", process.name(), code, process.describe());
        }
        return recording;
    }

    /** Waits until the stream ends by itself and fails unless ffmpeg exits 0. Returns the recording. */
    public Path awaitEnd(Duration timeout) {
        process.assertExitsNormally(timeout);
        return recording;
    }

    /** The packets of the recording; call after {@link #stop()} or {@link #awaitEnd}. */
    public PacketList packets() {
        return PacketList.probe(recording);
    }

    @Override
    public void close() {
        process.close();
    }

    /**
     * Time from the player process's start until its first video keyframe tag comes out of ffmpeg; this includes
     * ffmpeg's start, the RTMP handshake and ffmpeg's input probing ({@code inputArgs} go before {@code -i}; a tiny
     * {@code -probesize} makes ffmpeg drop the video stream).
     */
    public static Duration timeToFirstKeyframe(String url, Duration timeout, String... inputArgs) {
        return firstKeyframe(url, null, timeout, inputArgs);
    }

    /** Time from {@code from} until a player started now outputs its first video keyframe tag. */
    public static Duration timeToFirstKeyframe(String url, Instant from, Duration timeout, String... inputArgs) {
        return firstKeyframe(url, from, timeout, inputArgs);
    }

    private static Duration firstKeyframe(String url, Instant from, Duration timeout, String... inputArgs) {
        List<String> args = new ArrayList<>(List.of(inputArgs));
        args.addAll(List.of("-i", url, "-c", "copy", "-flush_packets", "1", "-f", "flv", "pipe:1"));
        try (FfmpegProcess p = Ffmpeg.startPiped("first-keyframe", args.toArray(String[]::new))) {
            CompletableFuture<Long> arrival = CompletableFuture.supplyAsync(() -> readUntilKeyframe(p.stdout()),
                    r -> Thread.ofVirtual().name("flv-reader-" + p.name()).start(r));
            long arrivedNanos;
            try {
                arrivedNanos = arrival.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                p.close();
                return fail("no video keyframe from %s within %s%s", url, timeout, p.describe());
            } catch (ExecutionException e) {
                p.close();
                return fail("reading FLV from %s failed: %s%s", url, e.getCause(), p.describe());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return fail("interrupted");
            }
            Instant arrivedAt = Instant.now().minusNanos(System.nanoTime() - arrivedNanos);
            return from == null ? Duration.ofNanos(arrivedNanos - p.startedNanos()) : Duration.between(from, arrivedAt);
        }
    }

    private static long readUntilKeyframe(InputStream stdout) {
        FlvTagReader reader = new FlvTagReader(stdout);
        try {
            for (FlvTag tag = reader.next(); tag != null; tag = reader.next()) {
                if (tag.isVideoKeyframe()) {
                    return System.nanoTime();
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("the stream ended before any video keyframe");
    }
}
