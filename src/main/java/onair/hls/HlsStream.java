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

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * One publication written as HLS: a subscriber that reads its H.264 or HEVC and AAC frames on the publisher's thread,
 * keeps their decoder configurations in {@link Tracks}, and hands each frame to its {@link Segmenter}, which cuts
 * segments as nginx-rtmp's hls module does, and to its {@link SegmentFormat}, which muxes them. The other video tracks
 * of an Enhanced RTMP v2 multitrack publish are renditions of their own, each with track 0's audio, cut where track 0
 * is cut, and listed in a master playlist that takes the stream's playlist name; this needs their sequence headers
 * before track 0's first keyframe, as ffmpeg and OBS send them.
 */
final class HlsStream implements Subscriber {

    private static final Logger log = LoggerFactory.getLogger(HlsStream.class);

    /** Video tracks 0 … {@code MAX_TRACK - 1} of a multitrack publish are renditions; a track id is one byte. */
    private static final int MAX_TRACK = 16;

    private final StreamKey key;
    private final HlsConfig config;
    private final HlsWriter writer;
    private final HlsOutput.Layout layout;
    private final HlsOutput.History history;
    private final Tracks tracks = new Tracks();
    private final AacPacker audio;
    private final SegmentFormat format;
    private final HlsStream[] renditions;
    private Segmenter segmenter;
    private boolean laidOut;
    private volatile Subscription subscription;
    private boolean badInputLogged;
    private boolean stopped;
    private boolean unsupportedAudio;

    HlsStream(StreamKey key, HlsConfig config, HlsWriter writer, HlsOutput.History history, HlsOutput.Layout layout) {
        this(key, config, writer, history, layout, history::masterPlaylist,
            layout.masterPlaylist() == null && !config.part().isPositive() ? new HlsStream[MAX_TRACK] : null);
    }

    private HlsStream(StreamKey key, HlsConfig config, HlsWriter writer, HlsOutput.History history,
                      HlsOutput.Layout layout, Supplier<String> master, HlsStream[] renditions) {
        this.key = key;
        this.config = config;
        this.writer = writer;
        this.layout = layout;
        this.history = history;
        this.renditions = renditions;
        this.audio = new AacPacker(config);
        this.format = switch (config.segmentType()) {
            case MPEGTS -> new TsSegments(config, tracks, audio);
            case FMP4 -> new Fmp4Segments(tracks, layout,
                config.part().isPositive() ? new PartCutter(config, layout, history, writer) : null);
        };
        this.segmenter = new Segmenter(key, config, writer, history, layout, format, master);
    }

    void attach(Subscription subscription) {
        this.subscription = subscription;
    }

    @Override
    public boolean multitrack() {
        return renditions != null;
    }

    @Override
    public void onFrame(MediaFrame frame) {
        try {
            if (stopped) {
                return;
            }
            int track = frame.track();
            if (frame.isVideo() && track == 0) {
                video(frame);
            } else if (frame.isVideo() && renditions != null && track > 0 && track < MAX_TRACK) {
                rendition(track, frame);
            } else if (frame.isAudio() && track == 0) {
                audio(frame);
                for (HlsStream rendition : renditions()) {
                    rendition.audio(frame);
                }
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
        segmenter.release();
        audio.release();
        for (HlsStream rendition : renditions()) {
            rendition.segmenter.release();
            rendition.audio.release();
        }
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
        segmenter.end(tracks.videoFrameTime());
        for (HlsStream rendition : renditions()) {
            rendition.segmenter.end(rendition.tracks.videoFrameTime());
        }
        abandon();
    }

    private List<HlsStream> renditions() {
        List<HlsStream> open = new ArrayList<>();
        if (renditions != null) {
            for (HlsStream rendition : renditions) {
                if (rendition != null) {
                    open.add(rendition);
                }
            }
        }
        return open;
    }

    /** A frame of video track {@code track}: a rendition once its sequence header came before the layout was set. */
    private void rendition(int track, MediaFrame frame) {
        HlsStream rendition = renditions[track];
        if (rendition == null && !laidOut && frame.isSequenceHeader()) {
            rendition = renditions[track] = new HlsStream(key, config, writer, history.track(track),
                layout.track(track), this::master, null);
        }
        if (rendition != null) {
            rendition.video(frame);
        }
    }

    /**
     * At track 0's first segment: with renditions configured, the stream's playlist becomes their master playlist
     * and track 0's media playlist is laid out as one of them.
     */
    private void layOut() {
        laidOut = true;
        boolean multitrack = Arrays.stream(renditions).anyMatch(r -> r != null && r.tracks.hasVideo());
        if (multitrack) {
            segmenter = new Segmenter(key, config, writer, history, layout.track(0), format, this::master);
        }
        for (int track = 1; track < MAX_TRACK; track++) {
            HlsStream rendition = renditions[track];
            if (rendition != null && !(multitrack && rendition.tracks.hasVideo())) {
                rendition.segmenter.release();
                rendition.audio.release();
                renditions[track] = null;
            }
        }
    }

    /**
     * The master playlist of a multitrack publish: every rendition with a segment, once each has one (or track 0 has
     * a second), so a player that loads it early still sees the whole ladder.
     */
    private String master() {
        List<Playlist.Variant> variants = new ArrayList<>();
        boolean pending = false;
        for (int track = 0; track < MAX_TRACK; track++) {
            HlsOutput.History known = track == 0 ? history : renditions[track] == null ? null
                : renditions[track].history;
            Playlist.Variant variant = known == null ? null : known.variant(layout.track(track));
            pending |= known != null && variant == null;
            if (variant != null) {
                variants.add(variant);
            }
        }
        return variants.isEmpty() || pending && history.window().size() < 2 ? null : Playlist.master(variants);
    }

    /** Cuts as due before a frame at {@code time}; renditions follow a segment track 0 opens. */
    private boolean cut(long time, boolean boundary) {
        if (renditions != null && !laidOut && boundary) {
            layOut();
        }
        long before = segmenter.segmentStart();
        boolean open = segmenter.cut(time, boundary);
        long start = segmenter.segmentStart();
        if (start != before && start >= 0) {
            for (HlsStream rendition : renditions()) {
                rendition.segmenter.follow(start);
            }
        }
        return open;
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
        boolean keyframe = header.keyframe();
        ByteBuf sample = format.videoSample(body, dataAt, body.writerIndex(), keyframe);
        try {
            if (!cut(dts, keyframe)) {
                return;
            }
            format.video(dts, pts, keyframe, sample);
            tracks.videoSampled(dts);
            segmenter.sampled(dts);
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
            if (!cut(pts, !tracks.hasVideo())) {
                return;
            }
            pts = audio.synchronize(pts, aac.samplingFrequency());
            format.audio(pts, sample);
            segmenter.sampled(pts);
        } finally {
            sample.release();
        }
    }
}
