package onair.hls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import onair.config.HlsConfig;
import onair.media.AnnexB;
import onair.media.Codec;
import onair.mpegts.TsMuxer;

import java.util.List;

/**
 * MPEG-TS segments as nginx-rtmp's hls module writes them: PAT and PMT first, video as Annex B with its PCR, AAC as
 * ADTS frames gathered by an {@link AacPacker}, every timestamp offset by {@code hls_muxdelay}.
 */
final class TsSegments implements SegmentFormat {

    private static final int INITIAL_CAPACITY = 256 << 10;

    private final Tracks tracks;
    private final AacPacker audio;
    private final long delay;
    private final TsMuxer muxer = new TsMuxer();
    private ByteBuf segment;

    TsSegments(HlsConfig config, Tracks tracks, AacPacker audio) {
        this.tracks = tracks;
        this.audio = audio;
        this.delay = config.muxDelay().toMillis() * 90;
    }

    @Override
    public void open(long time, long sequence) {
        segment = Unpooled.buffer(INITIAL_CAPACITY);
        int videoType = !tracks.hasVideo() ? 0 : tracks.videoCodec() == Codec.H264 ? TsMuxer.H264 : TsMuxer.HEVC;
        muxer.writeTables(segment, videoType, tracks.aac() != null);
    }

    @Override
    public ByteBuf videoSample(ByteBuf body, int from, int to, boolean keyframe) {
        return AnnexB.fromAvcc(body, from, to, tracks.videoCodec(), tracks.nalLengthSize(),
            keyframe ? tracks.parameterSets() : List.of());
    }

    @Override
    public ByteBuf audioSample(ByteBuf body, int from, int length) {
        byte[] adts = tracks.aac().adtsHeader(length);
        return Unpooled.buffer(adts.length + length).writeBytes(adts).writeBytes(body, from, length);
    }

    @Override
    public void video(long dts, long pts, boolean keyframe, ByteBuf sample) {
        if (audio.lateFor(pts)) {
            flushAudio();
        }
        muxer.writeVideo(segment, pts + delay, dts + delay, dts, keyframe, sample);
    }

    @Override
    public void audio(long pts, ByteBuf sample) {
        if (!audio.fits(sample.readableBytes())) {
            flushAudio();
        }
        audio.add(pts, sample);
        if (audio.overdue(pts)) {
            flushAudio();
        }
    }

    private void flushAudio() {
        if (!audio.isEmpty()) {
            boolean audioOnly = !tracks.hasVideo();
            muxer.writeAudio(segment, audio.pts() + delay, audioOnly ? audio.pts() : -1, audio.frames());
        }
        audio.clear();
    }

    @Override
    public long bytes() {
        return segment.readableBytes();
    }

    @Override
    public Finished finish(long end) {
        flushAudio();
        byte[] bytes = ByteBufUtil.getBytes(segment);
        release();
        return new Finished(bytes, null, null, List.of());
    }

    @Override
    public void release() {
        if (segment != null) {
            segment.release();
            segment = null;
        }
    }
}
