package onair.dash;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Does every DASH file operation of a server on one thread, off the event loops, as the HLS writer does: tasks wait
 * in a bounded queue (a full queue refuses the task, and the caller drops that segment), files are replaced
 * atomically, and an ended stream's files are removed a playlist length later unless the stream is published again.
 */
final class DashWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DashWriter.class);
    private static final int MAX_PENDING = 64;

    private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
        Thread.ofPlatform().name("dash-writer").daemon().factory());
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean overloadLogged = new AtomicBoolean();
    /** Counts each stream's removals and republications: a removal runs only if nothing came after it. */
    private final Map<Path, Long> generations = new ConcurrentHashMap<>();

    DashWriter() {
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Queues {@code task}; false (logged once per server) when the queue is full or the writer is closed. */
    boolean submit(String what, IoTask task) {
        if (pending.incrementAndGet() > MAX_PENDING) {
            pending.decrementAndGet();
            if (overloadLogged.compareAndSet(false, true)) {
                log.warn("dash: the disk does not keep up, dropping {} (further drops are not logged)", what);
            }
            return false;
        }
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (IOException | RuntimeException e) {
                    log.error("dash: {} failed: {}", what, e.toString());
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

    /** A file written whole. */
    record File(Path path, byte[] bytes) {}

    /**
     * Queues writing {@code files} in order (the manifest last), then deleting {@code expired}, as
     * {@link #submit(String, IoTask)} does.
     */
    boolean submit(String what, List<File> files, List<Path> expired) {
        List<File> written = List.copyOf(files);
        List<Path> deleted = List.copyOf(expired);
        return submit(what, () -> {
            for (File file : written) {
                writeAtomically(file.path(), file.bytes());
            }
            for (Path file : deleted) {
                Files.deleteIfExists(file);
            }
        });
    }

    /**
     * Deletes {@code files} (and then {@code dir}, if it is left empty) after {@code delay}, unless
     * {@link #keep(Path)} is called for {@code manifest} first.
     */
    void remove(Path manifest, List<Path> files, Path dir, Duration delay) {
        long generation = generations.merge(manifest, 1L, Long::sum);
        try {
            executor.schedule(() -> {
                if (!generations.remove(manifest, generation)) {
                    return;
                }
                try {
                    for (Path file : files) {
                        Files.deleteIfExists(file);
                    }
                    if (dir != null) {
                        Files.deleteIfExists(dir);
                    }
                } catch (DirectoryNotEmptyException e) {
                    log.debug("dash: {} is not empty, kept", dir);
                } catch (IOException | RuntimeException e) {
                    log.warn("dash: cleanup of {} failed: {}", manifest, e.toString());
                }
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("dash: no cleanup after shutdown");
        }
    }

    /** Cancels the pending removal of the files of {@code manifest}: its stream is published again. */
    void keep(Path manifest) {
        generations.computeIfPresent(manifest, (path, generation) -> generation + 1);
    }

    /** Writes {@code bytes} to a temporary file beside {@code file}, then renames it over {@code file} atomically. */
    static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path dir = file.getParent();
        Files.createDirectories(dir);
        Path temporary = dir.resolve("." + file.getFileName() + ".tmp");
        Files.write(temporary, bytes);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Waits for every queued write (bounded), then stops; removals still due are left undone. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("dash: writes still pending after 10 s at shutdown");
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
