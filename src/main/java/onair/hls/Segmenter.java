package onair.hls;

import onair.config.HlsConfig;
import onair.stream.StreamKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Where one stream's segments begin and end, as nginx-rtmp's ngx_rtmp_hls_update_fragment decides it: a segment opens
 * at a boundary (a video keyframe, or any audio frame of an audio-only stream) and closes at the first boundary once
 * it lasts {@code hls_fragment} ({@code hls_fragment_slicing plain}) or crosses a multiple of it ({@code aligned}), or
 * at any frame once it lasts {@code hls_max_fragment}. A closed segment is named, listed and queued for writing.
 * The segmenter of another rendition of a multitrack publish {@linkplain #follow follows} track 0's cuts instead.
 */
final class Segmenter {

    private static final Logger log = LoggerFactory.getLogger(Segmenter.class);
    private static final long MAX_SEGMENT_BYTES = 256L << 20;

    private final StreamKey key;
    private final HlsConfig config;
    private final HlsWriter writer;
    private final HlsOutput.History history;
    private final HlsOutput.Layout layout;
    private final SegmentFormat format;
    private final SegmentKeys keys;
    private final long fragment;
    private final long maxFragment;
    private final boolean blockingReloads;
    private final Supplier<String> master;
    private boolean follower;
    private long due = -1;
    private Open segment;
    private long lastTime;
    private boolean discontinuityNext;

    /** The segment being muxed. */
    private record Open(long sequence, long start, String name, boolean discontinuity, Instant dateTime,
                        SegmentKeys.Key key) {
    }

    Segmenter(StreamKey key, HlsConfig config, HlsWriter writer, HlsOutput.History history, HlsOutput.Layout layout,
              SegmentFormat format, Supplier<String> master) {
        this.key = key;
        this.config = config;
        this.writer = writer;
        this.history = history;
        this.layout = layout;
        this.format = format;
        this.master = master;
        this.keys = new SegmentKeys(config, layout);
        this.fragment = config.fragment().toMillis() * 90;
        this.maxFragment = config.maxFragment().toMillis() * 90;
        this.blockingReloads = config.part().isPositive();
        this.discontinuityNext = !history.window().isEmpty();
    }

    /**
     * Before a frame at {@code time}, a {@code boundary} if it may start a segment: closes and opens segments as due;
     * returns whether a segment is open to take the frame.
     */
    boolean cut(long time, boolean boundary) {
        if (segment == null) {
            if (boundary) {
                open(time);
            }
            return segment != null;
        }
        long duration = time - segment.start();
        if (follower ? due < 0 || time < due : config.slicing() == HlsConfig.Slicing.PLAIN ? duration < fragment
            : Math.floorDiv(segment.start(), fragment) == Math.floorDiv(time, fragment)) {
            boundary = false;
        }
        boolean force = duration >= maxFragment || format.bytes() > MAX_SEGMENT_BYTES;
        if (boundary || force) {
            if (!boundary) {
                log.debug("hls {}: force fragment split at {} s", key, duration / 90_000.0);
            }
            close(time, false);
            open(time);
        }
        return true;
    }

    /** Makes this segmenter cut at its first boundary at or after {@code time}, where another track's segment began. */
    void follow(long time) {
        follower = true;
        due = segment != null && segment.start() >= time ? -1 : time;
    }

    /** The start of the open segment, or -1 without one. */
    long segmentStart() {
        return segment == null ? -1 : segment.start();
    }

    /** Notes a frame at {@code time} muxed into the open segment. */
    void sampled(long time) {
        lastTime = Math.max(lastTime, time);
    }

    /**
     * Ends the publication: the open segment closes {@code frameTime} after its last frame and the playlist is
     * ended, or without one a playlist that lists segments is rewritten as ended.
     */
    void end(long frameTime) {
        if (segment != null) {
            close(lastTime + Math.max(0, frameTime), true);
            return;
        }
        List<Playlist.Segment> window = history.window();
        if (!window.isEmpty()) {
            writer.submit(new SegmentWrite("playlist " + layout.playlist(), List.of(),
                new SegmentWrite.MediaPlaylist(layout.playlist(), Playlist.media(window, config, true),
                    blockingReloads, window.getLast().sequence() + 1, 0, Playlist.reloadTarget(window, config),
                    true), null));
        }
    }

    /** Frees the open segment, unwritten. */
    void release() {
        format.release();
        segment = null;
    }

    private void open(long time) {
        long sequence = history.nextSequence();
        lastTime = time;
        if (time >= due) {
            due = -1;
        }
        long id = switch (config.naming()) {
            case SEQUENTIAL -> sequence;
            case TIMESTAMP -> time / 90;
            case SYSTEM -> System.currentTimeMillis();
        };
        if (config.namingGranularity() > 0) {
            id = id / config.namingGranularity() * config.namingGranularity();
        }
        Instant dateTime = switch (config.datetime()) {
            case NONE -> null;
            case SYSTEM -> Instant.now();
            case TIMESTAMP -> Instant.ofEpochMilli(time / 90);
        };
        segment = new Open(sequence, time, layout.segmentName(id), discontinuityNext, dateTime,
            keys.next(sequence));
        discontinuityNext = false;
        format.open(time, sequence);
    }

    private void close(long end, boolean ended) {
        Open closed = segment;
        double duration = Math.max(0, end - closed.start()) / 90_000.0;
        SegmentFormat.Finished finished = format.finish(end);
        segment = null;
        SegmentKeys.Key key = closed.key();
        Playlist.Segment done = new Playlist.Segment(closed.sequence(), layout.segmentUri(closed.name()), duration,
            closed.discontinuity(), key != null ? layout.keyUri(key.name()) : null, closed.dateTime(),
            finished.initName() != null ? layout.segmentUri(finished.initName()) : null, finished.parts());
        List<Playlist.Segment> window = history.add(done, config);
        String playlist = blockingReloads
            ? Playlist.media(window, List.of(), null, layout.segmentUri(layout.partName(closed.sequence() + 1, 0)),
                config, ended)
            : Playlist.media(window, config, ended);
        history.measured(finished.bytes().length, duration);
        String master = this.master.get();
        List<SegmentWrite.File> files = new ArrayList<>();
        if (key != null && key.fresh()) {
            files.add(SegmentWrite.File.plain(layout.keyDir().resolve(key.name()), key.bytes()));
        }
        if (finished.init() != null) {
            files.add(SegmentWrite.File.plain(layout.dir().resolve(finished.initName()), finished.init()));
        }
        files.add(new SegmentWrite.File(layout.dir().resolve(closed.name()), finished.bytes(),
            key != null ? key.bytes() : null, closed.sequence()));
        boolean queued = writer.submit(new SegmentWrite("segment " + layout.dir().resolve(closed.name()), files,
            new SegmentWrite.MediaPlaylist(layout.playlist(), playlist, blockingReloads, closed.sequence() + 1, 0,
                Playlist.reloadTarget(window, config), ended),
            master == null ? null
                : SegmentWrite.File.plain(layout.masterPlaylist(), master.getBytes(StandardCharsets.US_ASCII))));
        if (!queued) {
            history.remove(done);
            discontinuityNext = true;
            keys.dropped(key);
        }
    }
}
