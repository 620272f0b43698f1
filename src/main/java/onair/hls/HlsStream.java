package onair.hls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import onair.config.HlsConfig;
import onair.media.AudioSpecificConfig;
import onair.media.Codec;
import onair.media.MediaFormatException;
import onair.media.MediaFrame;
import onair.media.TagHeader;
import onair.stream.StreamKey;
import onair.stream.Subscriber;
import onair.stream.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One publication written as HLS: a subscriber that muxes H.264 or HEVC and AAC into MPEG-TS on the publisher's
 * thread, cuts segments on video keyframes (by time for audio-only streams) as nginx-rtmp's hls module does, and hands
 * each finished segment with its playlist to the server's {@link HlsWriter}.
 */
final class HlsStream implements Subscriber {

    private static final Logger log = LoggerFactory.getLogger(HlsStream.class);
    private static final long MAX_SEGMENT_BYTES = 256L << 20;

    private final StreamKey key;
    private final HlsConfig config;
    private final HlsWriter writer;
    private final HlsOutput.History history;
    private final HlsOutput.Layout layout;
    private final long fragment;
    private final long maxFragment;
    private volatile Subscription subscription;

    private final long partTarget;
    private final Tracks tracks = new Tracks();
    private boolean badInputLogged;
    private boolean stopped;
    private boolean unsupportedAudio;

    private final SegmentFormat format;
    private boolean segmentOpen;
    private long segmentStart;
    private long segmentSequence;
    private String segmentName;
    private boolean segmentDiscontinuity;
    private Instant segmentDateTime;
    private SegmentKeys.Key segmentKey;
    private long lastTime;
    private boolean discontinuityNext;

    private final SegmentKeys keys;

    private final AacPacker audio;

    HlsStream(StreamKey key, HlsConfig config, HlsWriter writer, HlsOutput.History history, HlsOutput.Layout layout) {
        this.key = key;
        this.config = config;
        this.writer = writer;
        this.history = history;
        this.layout = layout;
        this.fragment = config.fragment().toMillis() * 90;
        this.maxFragment = config.maxFragment().toMillis() * 90;
        this.discontinuityNext = !history.window().isEmpty();
        this.partTarget = config.part().toMillis() * 90;
        this.keys = new SegmentKeys(config, layout);
        PartCutter parts = partTarget > 0 ? new PartCutter(config, layout, history, writer) : null;
        this.audio = new AacPacker(config);
        this.format = switch (config.segmentType()) {
            case MPEGTS -> new TsSegments(config, tracks, audio);
            case FMP4 -> new Fmp4Segments(tracks, layout, parts);
        };
    }

    void attach(Subscription subscription) {
        this.subscription = subscription;
    }

    @Override
    public void onFrame(MediaFrame frame) {
        try {
            if (stopped) {
                return;
            }
            if (frame.isVideo()) {
                video(frame);
            } else if (frame.isAudio()) {
                audio(frame);
            }
        } catch (MediaFormatException e) {
            if (!badInputLogged) {
                badInputLogged = true;
                log.warn("hls {}: {}; such frames are skipped (further ones not logged)", key, e.getMessage());
            }
        } catch (RuntimeException e) {
            log.error("hls {}: stopped writing this publication: {}", key, e.toString());
            abandon();
        } finally {
            frame.release();
        }
    }

    /** Ends this publication's output (or gives up on it): buffers are freed and the subscription ends. */
    private void abandon() {
        stopped = true;
        format.release();
        audio.release();
        history.stopped();
        Subscription own = subscription;
        if (own != null) {
            own.close();
        }
    }

    @Override
    public void onPublishStart() {
    }

    @Override
    public void onPublishStop() {
        if (stopped) {
            return;
        }
        if (segmentOpen) {
            closeSegment(lastTime + Math.max(0, tracks.videoFrameTime()), true);
        } else if (!history.window().isEmpty()) {
            List<Playlist.Segment> window = history.window();
            String text = Playlist.media(window, config, true);
            long next = window.getLast().sequence() + 1;
            Duration target = Playlist.reloadTarget(window, config);
            writer.submit(new SegmentWrite("playlist " + layout.playlist(), List.of(),
                new SegmentWrite.MediaPlaylist(layout.playlist(), text, partTarget > 0, next, 0, target, true), null));
        }
        abandon();
    }

    private void video(MediaFrame frame) {
        ByteBuf body = frame.payload();
        TagHeader header = frame.header();
        if (header.signal() || header.dataOffset() < 0) {
            return;
        }
        int dataAt = body.readerIndex() + header.dataOffset();
        if (header.sequenceHeader()) {
            tracks.configureVideo(header.codec(), ByteBufUtil.getBytes(body, dataAt, body.writerIndex() - dataAt));
            history.observeVideo(tracks.videoCodecString(), tracks.resolution());
            return;
        }
        int compositionTime = header.compositionTime();
        if (!tracks.hasVideo()) {
            return;
        }
        long dts = Integer.toUnsignedLong(frame.timestamp()) * 90;
        long pts = dts + compositionTime * 90L;
        boolean keyframe = frame.isKeyframe();
        ByteBuf sample = format.videoSample(body, dataAt, body.writerIndex(), keyframe);
        try {
            cut(dts, keyframe);
            if (!segmentOpen) {
                return;
            }
            format.video(dts, pts, keyframe, sample);
            tracks.videoSampled(dts);
            lastTime = Math.max(lastTime, dts);
        } finally {
            sample.release();
        }
    }

    private void audio(MediaFrame frame) {
        ByteBuf body = frame.payload();
        TagHeader header = frame.header();
        if (body.readableBytes() < 2) {
            return;
        }
        if (header.codec() != Codec.AAC) {
            if (!unsupportedAudio) {
                unsupportedAudio = true;
                throw new MediaFormatException("audio codec " + header.codec() + " is not supported in HLS");
            }
            return;
        }
        if (header.dataOffset() < 0) {
            return;
        }
        boolean configuration = header.sequenceHeader();
        int dataAt = body.readerIndex() + header.dataOffset();
        int length = body.writerIndex() - dataAt;
        if (length <= 0) {
            return;
        }
        if (configuration) {
            tracks.configureAudio(ByteBufUtil.getBytes(body, dataAt, length));
            history.observeAudio(tracks.aac().codecString());
            return;
        }
        AudioSpecificConfig aac = tracks.aac();
        if (aac == null) {
            return;
        }
        ByteBuf sample = format.audioSample(body, dataAt, length);
        try {
            long pts = Integer.toUnsignedLong(frame.timestamp()) * 90;
            cut(pts, !tracks.hasVideo());
            if (!segmentOpen) {
                return;
            }
            pts = audio.synchronize(pts, aac.samplingFrequency());
            format.audio(pts, sample);
            lastTime = Math.max(lastTime, pts);
        } finally {
            sample.release();
        }
    }

    /** nginx-rtmp's ngx_rtmp_hls_update_fragment: close and open a segment at a boundary once it is long enough. */
    private void cut(long time, boolean boundary) {
        if (!segmentOpen) {
            if (boundary) {
                openSegment(time);
            }
            return;
        }
        long duration = time - segmentStart;
        if (config.slicing() == HlsConfig.Slicing.PLAIN ? duration < fragment
            : Math.floorDiv(segmentStart, fragment) == Math.floorDiv(time, fragment)) {
            boundary = false;
        }
        boolean force = duration >= maxFragment || format.bytes() > MAX_SEGMENT_BYTES;
        if (boundary || force) {
            if (!boundary) {
                log.debug("hls {}: force fragment split at {} s", key, duration / 90_000.0);
            }
            closeSegment(time, false);
            openSegment(time);
        }
    }

    private void openSegment(long time) {
        segmentSequence = history.nextSequence();
        segmentStart = time;
        lastTime = time;
        long id = switch (config.naming()) {
            case SEQUENTIAL -> segmentSequence;
            case TIMESTAMP -> time / 90;
            case SYSTEM -> System.currentTimeMillis();
        };
        if (config.namingGranularity() > 0) {
            id = id / config.namingGranularity() * config.namingGranularity();
        }
        segmentName = layout.segmentName(id);
        segmentDiscontinuity = discontinuityNext;
        discontinuityNext = false;
        segmentDateTime = switch (config.datetime()) {
            case NONE -> null;
            case SYSTEM -> Instant.now();
            case TIMESTAMP -> Instant.ofEpochMilli(time / 90);
        };
        segmentKey = keys.next(segmentSequence);
        format.open(time, segmentSequence);
        segmentOpen = true;
    }

    private void closeSegment(long end, boolean ended) {
        double duration = Math.max(0, end - segmentStart) / 90_000.0;
        SegmentFormat.Finished finished = format.finish(end);
        segmentOpen = false;
        byte[] bytes = finished.bytes();
        Playlist.Segment done = new Playlist.Segment(segmentSequence, layout.segmentUri(segmentName), duration,
            segmentDiscontinuity, segmentKey != null ? layout.keyUri(segmentKey.name()) : null, segmentDateTime,
            finished.initName() != null ? layout.segmentUri(finished.initName()) : null, finished.parts());
        List<Playlist.Segment> window = history.add(done, config);
        String playlist = partTarget > 0
            ? Playlist.media(window, List.of(), null, layout.segmentUri(layout.partName(segmentSequence + 1, 0)),
                config, ended)
            : Playlist.media(window, config, ended);
        Path segmentFile = layout.dir().resolve(segmentName);
        SegmentKeys.Key key = segmentKey;
        history.measured(bytes.length, duration);
        String master = history.masterPlaylist();
        List<SegmentWrite.File> files = new ArrayList<>();
        if (key != null && key.fresh()) {
            files.add(SegmentWrite.File.plain(layout.keyDir().resolve(key.name()), key.bytes()));
        }
        if (finished.init() != null) {
            files.add(SegmentWrite.File.plain(layout.dir().resolve(finished.initName()), finished.init()));
        }
        files.add(new SegmentWrite.File(segmentFile, bytes, key != null ? key.bytes() : null, segmentSequence));
        boolean queued = writer.submit(new SegmentWrite("segment " + segmentFile, files,
            new SegmentWrite.MediaPlaylist(layout.playlist(), playlist, partTarget > 0, segmentSequence + 1, 0,
                Playlist.reloadTarget(window, config), ended),
            master != null ? SegmentWrite.File.plain(layout.masterPlaylist(), master.getBytes(StandardCharsets.US_ASCII))
                : null));
        if (!queued) {
            history.remove(done);
            discontinuityNext = true;
            keys.dropped(key);
        }
    }
}
