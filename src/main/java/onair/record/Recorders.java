package onair.record;

import onair.config.RecordConfig;
import onair.config.ServerConfig;
import onair.stream.Client;
import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.stream.StreamObserver;
import onair.stream.Subscription;
import onair.mp4.FragmentedFile;
import onair.mp4.Mp4Recording;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * nginx-rtmp's record module: attaches a {@link Recorder} to every publication for each recorder of its application
 * ({@code record}, {@code recorder NAME { }}), runs all file IO on one writer thread (whose task queue holds at most
 * one drain per recorder), answers the control API's {@code record start|stop}, and on {@link #close} flushes and
 * closes every file before the server stops. The writer thread also recovers the MP4 recordings a crash left
 * ({@link #recover}) and, every minute, deletes the recordings beyond the retention limits of their record path.
 */
public final class Recorders implements StreamObserver, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Recorders.class);

    static final Duration RETENTION_PERIOD = Duration.ofMinutes(1);

    private final Supplier<ServerConfig> config;
    private final Duration closeTimeout;
    private final ExecutorService writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(),
        task -> {
            Thread thread = new Thread(task, "onair-record");
            thread.setDaemon(true);
            return thread;
        });
    private final ScheduledExecutorService retention = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "onair-record-retention");
        thread.setDaemon(true);
        return thread;
    });
    private final Clock clock;
    private final Set<Recorder> recorders = ConcurrentHashMap.newKeySet();
    private final Set<Path> open = ConcurrentHashMap.newKeySet();
    private final CopyOnWriteArrayList<RecordListener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /** @param closeTimeout how long {@link #close} waits for the files to be flushed and closed */
    public Recorders(Supplier<ServerConfig> config, Duration closeTimeout) {
        this(config, closeTimeout, Clock.systemUTC());
    }

    /** Recorders whose retention tells the age of recordings by {@code clock}. */
    Recorders(Supplier<ServerConfig> config, Duration closeTimeout, Clock clock) {
        this.config = config;
        this.closeTimeout = closeTimeout;
        this.clock = clock;
        retention.scheduleWithFixedDelay(() -> execute(this::retain), RETENTION_PERIOD.toSeconds(),
            RETENTION_PERIOD.toSeconds(), TimeUnit.SECONDS);
    }

    /**
     * Has the writer thread recover the partial MP4 recordings a crash left in the record paths (at start-up and on
     * reload): each is cut back to its last complete fragment and finalised ({@link Mp4Recording}). Files being
     * recorded are left alone.
     */
    public void recover() {
        execute(this::recoverNow);
    }

    private void recoverNow() {
        for (RecordDirectory directory : RecordDirectory.of(config.get())) {
            try {
                for (RecordDirectory.Recording recording : directory.recordings()) {
                    if (!open.contains(normal(recording.file()))) {
                        recover(recording.file(), directory.fragmented());
                    }
                }
            } catch (IOException e) {
                log.warn("cannot list the recordings of {}: {}", directory.path(), e.toString());
            }
        }
    }

    private static void recover(Path file, boolean fragmented) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FragmentedFile recording;
            try {
                recording = FragmentedFile.read(channel);
            } catch (IOException e) {
                return;
            }
            if (recording.state() == FragmentedFile.State.PARTIAL) {
                long size = channel.size();
                Mp4Recording.finish(channel, fragmented);
                log.info("recovered the partial recording {} ({} bytes, {} s)", file, size,
                    Math.round(FragmentedFile.read(channel).duration()));
            }
        } catch (IOException | RuntimeException e) {
            log.warn("cannot recover the recording {}: {}", file, e.toString());
        }
    }

    /** Deletes the recordings beyond {@code record_max_age} and {@code record_path_max_size}; on the writer thread. */
    void retain() {
        Instant now = clock.instant();
        for (RecordDirectory directory : RecordDirectory.of(config.get())) {
            if (directory.maxAge() == null && directory.maxSize() == 0) {
                continue;
            }
            try {
                for (RecordDirectory.Recording expired : directory.expired(directory.recordings(), now, open)) {
                    Files.deleteIfExists(expired.file());
                    log.info("deleted the recording {} ({} bytes, modified {}): beyond the retention of {}",
                        expired.file(), expired.size(), expired.modified(), directory.path());
                }
            } catch (IOException e) {
                log.warn("retention of {} failed: {}", directory.path(), e.toString());
            }
        }
    }

    void opened(Path file) {
        open.add(normal(file));
    }

    void closed(Path file) {
        open.remove(normal(file));
    }

    private static Path normal(Path file) {
        return file.toAbsolutePath().normalize();
    }

    /** Has {@code listener} told of every file opened and closed until the returned handle is closed. */
    public AutoCloseable listen(RecordListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void published(LiveStream stream) {
        if (closed) {
            return;
        }
        Client publisher = stream.publisher().orElse(null);
        List<RecordConfig.Recorder> configured = config.get().application(stream.key().app(), publisher)
            .map(app -> app.record().recorders()).orElse(List.of());
        for (RecordConfig.Recorder settings : configured) {
            if (settings.flags().isEmpty()) {
                continue;
            }
            Recorder recorder = new Recorder(this, settings, stream.key(), publisher);
            Subscription subscription = stream.subscribe(recorder);
            recorders.add(recorder);
            recorder.attached(subscription);
        }
    }

    /**
     * {@code /control/record/start} or {@code /stop} for the publication of {@code stream}: the path of the file
     * opened or closed, or null when the named recorder was already recording (start), was not recording (stop), or
     * is not attached to the publication.
     */
    public String control(LiveStream stream, String recorder, boolean start) {
        for (Recorder candidate : recorders) {
            if (candidate.key().equals(stream.key()) && candidate.config().name().equals(recorder)
                && !candidate.stopping()) {
                Path path = start ? candidate.start() : candidate.stop();
                return path == null ? null : path.toString();
            }
        }
        return null;
    }

    /**
     * Stops recording: every recorder writes what it has queued, flushes and closes its file; waits up to the close
     * timeout for all of them. Publications started afterwards are not recorded.
     */
    @Override
    public void close() {
        closed = true;
        retention.shutdownNow();
        recorders.forEach(Recorder::end);
        writer.shutdown();
        try {
            if (!writer.awaitTermination(closeTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{} recorders did not finish their files within {} ms", recorders.size(),
                    closeTimeout.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The record writer thread, which runs all file IO. */
    Executor writer() {
        return writer;
    }

    boolean execute(Runnable task) {
        try {
            writer.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    void started(Recorder recorder, Path file) {
        log.debug("{}: recording {}", recorder, file);
        for (RecordListener listener : listeners) {
            notify(() -> listener.recordStarted(recorder.key(), recorder.config(), file,
                recorder.publisher()));
        }
    }

    void done(Recorder recorder, Path file, long bytes, long videoFrames) {
        log.info("{} recorded {} ({} bytes, {} video frames)", describe(recorder.key(), recorder.config().name()), file,
            bytes, videoFrames);
        for (RecordListener listener : listeners) {
            notify(() -> listener.recordDone(recorder.key(), recorder.config(), file, recorder.publisher()));
        }
    }

    void ended(Recorder recorder) {
        recorders.remove(recorder);
    }

    private static void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.error("record listener failed", e);
        }
    }

    private static String describe(StreamKey key, String recorder) {
        return recorder.isEmpty() ? key.toString() : key + " recorder " + recorder;
    }
}
