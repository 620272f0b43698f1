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

/**
 * One publication written as HLS: a subscriber that reads its H.264 or HEVC and AAC frames on the publisher's thread,
 * keeps their decoder configurations in {@link Tracks}, and hands each frame to its {@link Segmenter}, which cuts
 * segments as nginx-rtmp's hls module does, and to its {@link SegmentFormat}, which muxes them.
 */
final class HlsStream implements Subscriber {

    private static final Logger log = LoggerFactory.getLogger(HlsStream.class);

    private final StreamKey key;
    private final HlsOutput.History history;
    private final Tracks tracks = new Tracks();
    private final AacPacker audio;
    private final SegmentFormat format;
    private final Segmenter segmenter;
    private volatile Subscription subscription;
    private boolean badInputLogged;
    private boolean stopped;
    private boolean unsupportedAudio;

    HlsStream(StreamKey key, HlsConfig config, HlsWriter writer, HlsOutput.History history, HlsOutput.Layout layout) {
        this.key = key;
        this.history = history;
        this.audio = new AacPacker(config);
        this.format = switch (config.segmentType()) {
            case MPEGTS -> new TsSegments(config, tracks, audio);
            case FMP4 -> new Fmp4Segments(tracks, layout,
                config.part().isPositive() ? new PartCutter(config, layout, history, writer) : null);
        };
        this.segmenter = new Segmenter(key, config, writer, history, layout, format);
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
        segmenter.release();
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
        segmenter.end(tracks.videoFrameTime());
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
            if (!segmenter.cut(dts, keyframe)) {
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
            if (!segmenter.cut(pts, !tracks.hasVideo())) {
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
