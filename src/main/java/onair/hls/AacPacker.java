package onair.hls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import onair.config.HlsConfig;

/**
 * The AAC side of nginx-rtmp's hls module: timestamps kept on the sample clock while they stay within
 * {@code hls_sync} of it, and ADTS frames gathered into one PES of at most {@code hls_audio_buffer_size} bytes that
 * is written once it waits longer than {@code hls_max_audio_delay} (ngx_rtmp_hls_audio).
 */
final class AacPacker {

    private static final int MAX_AUDIO_PES = 0xffff - 14;
    private static final int SAMPLES_PER_FRAME = 1024;

    private final long sync;
    private final long maxDelay;
    private final int limit;
    private final ByteBuf frames = Unpooled.buffer(4096);
    private long pts;
    private long base = -1;
    private long count;

    AacPacker(HlsConfig config) {
        this.sync = config.sync().toMillis() * 90;
        this.maxDelay = config.maxAudioDelay().toMillis() * 90;
        this.limit = (int) Math.min(config.audioBufferSize(), MAX_AUDIO_PES);
    }

    /**
     * The 90 kHz timestamp of the next frame at {@code samplingFrequency}: where the frames since the last resync put
     * it when {@code pts} is within {@code hls_sync} of that, else {@code pts} itself, which restarts the count.
     */
    long synchronize(long pts, int samplingFrequency) {
        long estimated = base + count * 90_000L * SAMPLES_PER_FRAME / samplingFrequency;
        if (base >= 0 && Math.abs(estimated - pts) <= sync) {
            count++;
            return estimated;
        }
        base = pts;
        count = 1;
        return pts;
    }

    /** Whether {@code bytes} more still fit in the PES being gathered. */
    boolean fits(int bytes) {
        return frames.readableBytes() + bytes <= limit;
    }

    /** Adds an ADTS {@code frame} at {@code pts}. */
    void add(long pts, ByteBuf frame) {
        if (!frames.isReadable()) {
            this.pts = pts;
        }
        frames.writeBytes(frame, frame.readerIndex(), frame.readableBytes());
    }

    /** Whether the gathered frames have waited longer than {@code hls_max_audio_delay} at {@code now}. */
    boolean overdue(long now) {
        return frames.isReadable() && pts + maxDelay < now;
    }

    /** Whether the gathered frames have waited half {@code hls_max_audio_delay} by a video frame at {@code now}. */
    boolean lateFor(long now) {
        return frames.isReadable() && pts + maxDelay / 2 < now;
    }

    boolean isEmpty() {
        return !frames.isReadable();
    }

    /** The timestamp of the first frame gathered. */
    long pts() {
        return pts;
    }

    /** The ADTS frames gathered, to be written and then {@linkplain #clear() cleared}. */
    ByteBuf frames() {
        return frames;
    }

    void clear() {
        frames.clear();
    }

    void release() {
        frames.release();
    }
}
