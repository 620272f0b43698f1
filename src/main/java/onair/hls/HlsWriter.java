package onair.hls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Does every HLS file operation of a server on one thread, off the event loops: tasks wait in a bounded queue (a full
 * queue refuses the task, and the caller drops that segment), files are replaced atomically, and directories with
 * {@code hls_cleanup on} are swept as nginx-rtmp's cache manager sweeps them.
 */
final class HlsWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HlsWriter.class);
    private static final int MAX_PENDING = 64;
    private static final Duration SWEEP_PERIOD = Duration.ofSeconds(1);

    private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
        Thread.ofPlatform().name("hls-writer").daemon().factory());
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean overloadLogged = new AtomicBoolean();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private final Map<Path, Duration> swept = new ConcurrentHashMap<>();
    private final Map<Path, Long> nextSweep = new ConcurrentHashMap<>();

    private final HlsOutput.PlaylistListener listener;

    HlsWriter() {
        this((playlist, sequence, parts, target, ended) -> { });
    }

    HlsWriter(HlsOutput.PlaylistListener listener) {
        this.listener = listener;
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Queues {@code task}; false (logged once per server) when the queue is full or the writer is closed. */
    boolean submit(String what, IoTask task) {
        if (pending.incrementAndGet() > MAX_PENDING) {
            pending.decrementAndGet();
            if (overloadLogged.compareAndSet(false, true)) {
                log.warn("hls: the disk does not keep up, dropping {} (further drops are not logged)", what);
            }
            return false;
        }
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (IOException | RuntimeException e) {
                    log.error("hls: {} failed: {}", what, e.toString());
                } finally {
                    pending.decrementAndGet();
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            pending.decrementAndGet();
            return false;
        }
    }

    /** Queues {@code write}, as {@link #submit(String, IoTask)} does. */
    boolean submit(SegmentWrite write) {
        return submit(write.what(), () -> write(write));
    }

    private void write(SegmentWrite write) throws IOException {
        for (SegmentWrite.File file : write.files()) {
            writeAtomically(file.path(), file.contents());
        }
        SegmentWrite.MediaPlaylist playlist = write.playlist();
        if (playlist != null && playlist.blockingReloads()) {
            writePlaylist(playlist.path(), playlist.text(), playlist.sequence(), playlist.parts(),
                playlist.targetDuration(), playlist.ended());
        } else if (playlist != null) {
            writeAtomically(playlist.path(), playlist.text().getBytes(StandardCharsets.US_ASCII));
        }
        if (write.master() != null) {
            writeAtomically(write.master().path(), write.master().contents());
        }
    }

    /**
     * Has {@code dir} swept like nginx-rtmp's {@code hls_cleanup}: segments (and fMP4 init segments, rewritten with
     * each playlist while in use) and keys are deleted once their last
     * change is two playlist lengths old, playlists once it is one playlist length old; subdirectories (nested
     * streams) are swept too and removed when empty.
     */
    void sweep(Path dir, Duration playlistLength) {
        swept.merge(dir, playlistLength, (a, b) -> a.compareTo(b) >= 0 ? a : b);
        if (sweeping.compareAndSet(false, true)) {
            try {
                executor.scheduleWithFixedDelay(this::sweep, SWEEP_PERIOD.toMillis(), SWEEP_PERIOD.toMillis(),
                    TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                log.debug("hls: no cleanup after shutdown");
            }
        }
    }

    /** Writes {@code bytes} to a temporary file beside {@code file}, then renames it over {@code file} atomically. */
    static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path dir = file.getParent();
        Files.createDirectories(dir);
        Path temporary = dir.resolve("." + file.getFileName() + ".tmp");
        Files.write(temporary, bytes);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Writes an LL-HLS media playlist atomically, then tells the listener what it lists (see
     * {@link HlsOutput.PlaylistListener}); call on the writer thread.
     */
    void writePlaylist(Path playlist, String text, long sequence, int parts, Duration targetDuration, boolean ended)
            throws IOException {
        writeAtomically(playlist, text.getBytes(StandardCharsets.US_ASCII));
        listener.written(playlist, sequence, parts, targetDuration, ended);
    }

    private void sweep() {
        long now = System.currentTimeMillis();
        swept.forEach((dir, playlistLength) -> {
            if (nextSweep.getOrDefault(dir, 0L) <= now) {
                nextSweep.put(dir, now + Math.max(SWEEP_PERIOD.toMillis(), playlistLength.toMillis() / 2));
                try {
                    sweep(dir, playlistLength.toMillis(), now, false);
                } catch (IOException | RuntimeException e) {
                    log.warn("hls: cleanup of {} failed: {}", dir, e.toString());
                }
            }
        });
    }

    private static int sweep(Path dir, long playlistMillis, long now, boolean nested) throws IOException {
        int left = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (Files.isDirectory(entry)) {
                    if (!nested && sweep(entry, playlistMillis, now, true) == 0) {
                        Files.deleteIfExists(entry);
                    } else {
                        left++;
                    }
                    continue;
                }
                long maxAge = name.endsWith(".ts") || name.endsWith(".key") || name.endsWith(".m4s")
                    || name.endsWith(".mp4") ? 2 * playlistMillis
                    : name.endsWith(".m3u8") ? playlistMillis : -1;
                if (maxAge < 0 || name.startsWith(".")) {
                    left++;
                } else if (Files.getLastModifiedTime(entry).toMillis() + maxAge < now) {
                    Files.deleteIfExists(entry);
                } else {
                    left++;
                }
            }
        } catch (NoSuchFileException e) {
            return 0;
        }
        return left;
    }

    /** Waits for every queued write (bounded), then stops; sweeps still due are left to the next start. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("hls: writes still pending after 10 s at shutdown");
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }

    /** A file operation run on the writer thread. */
    @FunctionalInterface
    interface IoTask {
        void run() throws IOException;
    }
}
