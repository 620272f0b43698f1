package onair.record;

import onair.config.RecordConfig;
import onair.media.MediaFrame;
import onair.output.WorkerSubscriber;
import onair.stream.Client;
import onair.stream.FrameQueue;
import onair.stream.StreamKey;
import onair.stream.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;

/**
 * One recorder of one publication, as a subscriber: frames wait in a bounded {@link FrameQueue} (a stalled disk drops
 * them to the next keyframe) and the record writer thread writes them to FLV or MP4 files following nginx-rtmp's
 * {@code ngx_rtmp_record_node_av}. A file opens when the publication starts (or on {@code record start} for a
 * {@code manual} recorder), starts with the metadata and the sequence headers, and a new one opens at a break frame
 * (a video keyframe; any audio frame when video is not recorded) after {@code record_interval}, or after
 * {@code record_max_size} / {@code record_max_frames} closed the previous one. Tags are stamped relative to the
 * file's first tag. An MP4 file also ends at a sequence header that changes a track's configuration; the next one
 * starts with it.
 */
final class Recorder extends WorkerSubscriber {

    private static final Logger log = LoggerFactory.getLogger(Recorder.class);

    static final int QUEUE_FRAMES = 4096;
    static final long QUEUE_BYTES = 64L << 20;

    private final Recorders owner;
    private final RecordConfig.Recorder config;
    private final StreamKey key;
    private final Client publisher;
    private final String label;
    private final boolean audio;
    private final boolean video;
    private final boolean keyframes;
    private volatile boolean stopping;
    private volatile Subscription subscription;
    /** The file that is open or is to be opened; set by control requests and by the writer. Guarded by this. */
    private Path wanted;

    private RecordFile file;
    private boolean failed;
    private long openedNanos = System.nanoTime();
    private long videoFrames;
    private boolean started;
    private boolean videoKeySent;
    private boolean epochSet;
    private int epoch;
    private MediaFrame metadata;
    private MediaFrame videoHeader;
    private MediaFrame audioHeader;
    private boolean dropsLogged;
    private boolean finished;

    Recorder(Recorders owner, RecordConfig.Recorder config, StreamKey key, Client publisher) {
        super(new FrameQueue(QUEUE_FRAMES, QUEUE_BYTES, false, false), owner.writer());
        this.owner = owner;
        this.config = config;
        this.key = key;
        this.publisher = publisher;
        this.label = key + (config.name().isEmpty() ? "" : " recorder " + config.name());
        this.audio = config.flags().contains(RecordConfig.Flag.AUDIO);
        this.video = config.flags().contains(RecordConfig.Flag.VIDEO);
        this.keyframes = config.flags().contains(RecordConfig.Flag.KEYFRAMES);
    }

    RecordConfig.Recorder config() {
        return config;
    }

    StreamKey key() {
        return key;
    }

    Client publisher() {
        return publisher;
    }

    boolean stopping() {
        return stopping;
    }

    /** Attached to the publication through {@code subscription}; an automatic recorder opens its file now. */
    void attached(Subscription subscription) {
        this.subscription = subscription;
        if (config.automatic()) {
            synchronized (this) {
                wanted = path();
            }
            schedule();
        }
    }

    /** {@code record start}: the file to be opened, or null if this recorder already records or has ended. */
    Path start() {
        if (stopping) {
            return null;
        }
        Path path;
        synchronized (this) {
            if (wanted != null) {
                return null;
            }
            wanted = path = path();
        }
        schedule();
        return path;
    }

    /**
     * {@code record stop}: the file being closed, or null if this recorder was not recording. The file is closed on the
     * writer thread after the frames queued before the stop, so every frame received before it is in the file.
     */
    Path stop() {
        Path path;
        synchronized (this) {
            path = wanted;
        }
        if (path != null && !owner.execute(() -> stopAfterQueued(path))) {
            stopAfterQueued(path);
        }
        return path;
    }

    private void stopAfterQueued(Path path) {
        synchronized (this) {
            if (path.equals(wanted)) {
                wanted = null;
            }
        }
        schedule();
    }

    /** Flushes and closes the file and detaches, once the frames queued so far are written. */
    void end() {
        stopping = true;
        schedule();
    }

    @Override
    protected boolean accepts(MediaFrame frame) {
        return !stopping;
    }

    @Override
    public void onPublishStart() {
    }

    @Override
    public void onPublishStop() {
        end();
    }

    private Path path() {
        return RecordPath.of(config, key.name(), Instant.now(), ZoneId.systemDefault());
    }

    @Override
    protected void beforeDrain() {
        if (!finished) {
            reconcile();
        }
    }

    @Override
    protected void consume(MediaFrame frame) {
        try {
            handle(frame);
        } finally {
            frame.release();
        }
    }

    @Override
    protected void afterDrain() {
        if (finished) {
            return;
        }
        if (!dropsLogged && droppedFrames() > 0) {
            dropsLogged = true;
            log.warn("{}: recording falls behind, frames dropped up to the next keyframe (further drops are counted, "
                + "not logged)", label);
        }
        if (stopping) {
            finish();
        }
    }

    private void handle(MediaFrame frame) {
        if (frame.isData()) {
            metadata = replace(metadata, frame);
            return;
        }
        if (frame.isSequenceHeader()) {
            if (frame.isVideo()) {
                videoHeader = replace(videoHeader, frame);
            } else {
                audioHeader = replace(audioHeader, frame);
            }
            if (file != null && started && records(frame)) {
                if (file.accepts(frame)) {
                    write(frame, frame.timestamp());
                } else {
                    reopen();
                }
            }
            return;
        }
        boolean keyframe = frame.isKeyframe();
        boolean breakFrame = frame.isVideo() ? keyframe : !video;
        if (breakFrame && config.automatic()) {
            atBreakFrame();
        }
        reconcile();
        if (file == null
            || config.flags().contains(RecordConfig.Flag.MANUAL) && !breakFrame && videoFrames == 0
            || !records(frame)) {
            return;
        }
        if (frame.isVideo() && !videoKeySent) {
            if (!keyframe) {
                return;
            }
            videoKeySent = true;
        }
        if (!started) {
            started = true;
            writeFileStart(frame.timestamp());
        }
        write(frame, frame.timestamp());
        if (frame.isVideo()) {
            videoFrames++;
        }
        if (file != null && (config.maxSize() > 0 && file.size() >= config.maxSize()
            || config.maxFrames() > 0 && videoFrames >= config.maxFrames())) {
            synchronized (this) {
                wanted = null;
            }
            closeFile();
        }
    }

    /**
     * An automatic recorder switches files at a break frame once {@code record_interval} has passed since it opened
     * the last one; without an interval it reopens a file that a limit or {@code record stop} closed.
     */
    private void atBreakFrame() {
        if (config.interval() != null) {
            if (System.nanoTime() - openedNanos > config.interval().toNanos()) {
                synchronized (this) {
                    wanted = null;
                }
                closeFile();
                synchronized (this) {
                    wanted = path();
                }
            }
        } else if (!failed) {
            synchronized (this) {
                if (wanted == null) {
                    wanted = path();
                }
            }
        }
    }

    /** Closes the file for one that starts with the new sequence headers, at the next frame. */
    private void reopen() {
        synchronized (this) {
            wanted = null;
        }
        closeFile();
        synchronized (this) {
            wanted = path();
        }
    }

    /** What a file starts with before its first frame: the latest metadata and the recorded tracks' headers. */
    private void writeFileStart(int timestamp) {
        if (metadata != null) {
            write(metadata, timestamp);
        }
        if (audio && audioHeader != null) {
            write(audioHeader, timestamp);
        }
        if ((video || keyframes) && videoHeader != null) {
            write(videoHeader, timestamp);
        }
    }

    /** Whether this recorder writes {@code frame}'s track ({@code record audio}, {@code video}, {@code keyframes}). */
    private boolean records(MediaFrame frame) {
        if (frame.isAudio()) {
            return audio;
        }
        return video || keyframes && (frame.isKeyframe() || frame.isSequenceHeader());
    }

    /** Opens or closes the file to match what control requests and the writer asked for. */
    private void reconcile() {
        Path want;
        synchronized (this) {
            want = wanted;
        }
        if (file != null && !file.path().equals(want)) {
            closeFile();
        }
        if (want != null && file == null) {
            openFile(want);
        }
    }

    private void openFile(Path path) {
        openedNanos = System.nanoTime();
        try {
            file = config.mp4()
                ? Mp4File.open(path, config.storage().fragmented(), config.lock(), audio, video || keyframes,
                    Instant.now())
                : FlvFile.open(path, config.append(), config.lock(), audio, video || keyframes);
            owner.opened(path);
        } catch (IOException | RuntimeException e) {
            log.error("{}: cannot open {}: {}", label, path, e.toString());
            failed = true;
            notifyPublisher("error", "NetStream.Record.Failed");
            synchronized (this) {
                if (path.equals(wanted)) {
                    wanted = null;
                }
            }
            return;
        }
        if (config.lock() && !file.locked()) {
            log.warn("{}: {} is locked by another process, recording anyway", label, path);
        }
        failed = false;
        videoFrames = 0;
        started = false;
        videoKeySent = false;
        epochSet = false;
        notifyPublisher("status", "NetStream.Record.Start");
        owner.started(this, path);
    }

    private void write(MediaFrame frame, int timestamp) {
        if (file == null) {
            return;
        }
        if (!epochSet) {
            epochSet = true;
            epoch = timestamp - file.lastTimestamp();
        }
        int relative = timestamp - epoch;
        try {
            file.write(frame, Math.max(relative, 0));
        } catch (IOException e) {
            log.error("{}: writing {} failed, file closed: {}", label, file.path(), e.toString());
            failed = true;
            synchronized (this) {
                wanted = null;
            }
            closeFile();
        }
    }

    private void closeFile() {
        if (file == null) {
            return;
        }
        RecordFile closing = file;
        file = null;
        try {
            closing.close();
        } catch (IOException | RuntimeException e) {
            log.error("{}: closing {} failed: {}", label, closing.path(), e.toString());
        } finally {
            owner.closed(closing.path());
        }
        notifyPublisher("status", "NetStream.Record.Stop");
        owner.done(this, closing.path(), closing.size(), videoFrames);
    }

    private void finish() {
        finished = true;
        synchronized (this) {
            wanted = null;
        }
        closeFile();
        queue().close();
        metadata = replace(metadata, null);
        videoHeader = replace(videoHeader, null);
        audioHeader = replace(audioHeader, null);
        Subscription attached = subscription;
        if (attached != null) {
            attached.close();
        }
        owner.ended(this);
    }

    /** {@code record_notify}: an onStatus to the publisher whose description is the recorder's name. */
    private void notifyPublisher(String level, String code) {
        if (config.notifyPublisher() && publisher != null) {
            publisher.control().status(key, level, code, config.name());
        }
    }

    private static MediaFrame replace(MediaFrame old, MediaFrame frame) {
        if (old != null) {
            old.release();
        }
        return frame == null ? null : frame.retain();
    }

    @Override
    public String toString() {
        return "Recorder[" + label + "]";
    }
}
