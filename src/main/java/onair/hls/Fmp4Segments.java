package onair.hls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import onair.media.AudioSpecificConfig;
import onair.media.Codec;
import onair.mp4.Fmp4Muxer;

import java.util.List;

/**
 * Fragmented MP4 segments (RFC 8216 §3.3): one movie fragment per segment, or with {@code hls_part} one per LL-HLS
 * part cut by a {@link PartCutter}; a new init segment whenever the tracks change.
 */
final class Fmp4Segments implements SegmentFormat {

    private static final int PARTS_CAPACITY = 256 << 10;
    private static final int SAMPLES_PER_AAC_FRAME = 1024;

    private final Tracks tracks;
    private final HlsOutput.Layout layout;
    private final PartCutter parts;
    private Fmp4Muxer muxer;
    private String initName;
    private long fragmentNumber;
    private long sequence;
    private ByteBuf segment;

    /** With {@code parts} null, segments have no parts. */
    Fmp4Segments(Tracks tracks, HlsOutput.Layout layout, PartCutter parts) {
        this.tracks = tracks;
        this.layout = layout;
        this.parts = parts;
    }

    @Override
    public void open(long time, long sequence) {
        this.sequence = sequence;
        segment = Unpooled.buffer(parts != null ? PARTS_CAPACITY : 0);
        if (parts != null) {
            parts.open(time);
        }
        AudioSpecificConfig aac = tracks.aac();
        Fmp4Muxer.Video video = tracks.videoRecord() == null || !tracks.hasVideo() ? null
            : new Fmp4Muxer.Video(tracks.videoCodec() == Codec.HEVC, tracks.videoRecord(), tracks.width(),
                tracks.height());
        Fmp4Muxer.Audio sound = aac == null ? null : new Fmp4Muxer.Audio(tracks.audioRecord(),
            aac.samplingFrequency(), aac.channelConfiguration() == 0 ? 2 : aac.channelConfiguration());
        if (muxer == null || !muxer.describes(video, sound)) {
            muxer = new Fmp4Muxer(video, sound);
            initName = layout.initName(sequence);
        }
    }

    @Override
    public ByteBuf videoSample(ByteBuf body, int from, int to, boolean keyframe) {
        return body.retainedSlice(from, to - from);
    }

    @Override
    public ByteBuf audioSample(ByteBuf body, int from, int length) {
        return body.retainedSlice(from, length);
    }

    @Override
    public void video(long dts, long pts, boolean keyframe, ByteBuf sample) {
        part(dts, keyframe);
        muxer.video(dts, pts, keyframe, sample);
    }

    @Override
    public void audio(long pts, ByteBuf sample) {
        if (muxer.hasAudio()) {
            part(pts, !muxer.hasVideo());
            muxer.audio(pts, sample);
        }
    }

    /**
     * Before a sample at {@code time}: notes whether the part being filled starts independently, and cuts it if
     * the sample would take it past {@code hls_part}.
     */
    private void part(long time, boolean independent) {
        if (parts == null) {
            return;
        }
        if (muxer.bytes() == 0) {
            parts.starting(independent);
            return;
        }
        long interval = muxer.hasVideo() ? tracks.videoFrameTime()
            : 90_000L * SAMPLES_PER_AAC_FRAME / Math.max(1, tracks.aac().samplingFrequency());
        if (parts.due(time, interval)) {
            cutPart(time, true);
            parts.starting(independent);
        }
    }

    /** Ends the current part at {@code end}: its fragment joins the segment and is written as a part file. */
    private void cutPart(long end, boolean listed) {
        if (muxer.bytes() == 0) {
            return;
        }
        byte[] bytes = muxer.segment(fragmentNumber++, end);
        segment.writeBytes(bytes);
        parts.cut(end, sequence, bytes, muxer.initialization(), initName, listed);
    }

    @Override
    public long bytes() {
        return segment.readableBytes() + muxer.bytes();
    }

    @Override
    public Finished finish(long end) {
        byte[] bytes;
        List<Playlist.Part> segmentParts;
        if (parts != null) {
            cutPart(end, false);
            bytes = ByteBufUtil.getBytes(segment);
            segmentParts = parts.take();
        } else {
            bytes = muxer.segment(fragmentNumber++, end);
            segmentParts = List.of();
        }
        release();
        return new Finished(bytes, initName, muxer.initialization(), segmentParts);
    }

    @Override
    public void release() {
        if (segment != null) {
            segment.release();
            segment = null;
        }
    }
}
