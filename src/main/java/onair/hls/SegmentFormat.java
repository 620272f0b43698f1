package onair.hls;

import io.netty.buffer.ByteBuf;

import java.util.List;

/**
 * The container one stream's segments are muxed in: MPEG-TS as nginx-rtmp writes it (RFC 8216 §3.2), or fragmented
 * MP4 with an init segment and, with {@code hls_part}, LL-HLS parts (RFC 8216 §3.3). Called on the publisher's thread
 * with at most one segment open.
 */
sealed interface SegmentFormat permits TsSegments, Fmp4Segments {

    /** Opens segment {@code sequence} at {@code time} for the tracks as they are now. */
    void open(long time, long sequence);

    /** The coded frame from {@code from} to {@code to} of a video tag body, as this format carries it. */
    ByteBuf videoSample(ByteBuf body, int from, int to, boolean keyframe);

    /** The raw AAC frame of {@code length} bytes at {@code from} of an audio tag body, as this format carries it. */
    ByteBuf audioSample(ByteBuf body, int from, int length);

    /** Adds a {@linkplain #videoSample video sample} to the open segment; the caller keeps and releases it. */
    void video(long dts, long pts, boolean keyframe, ByteBuf sample);

    /** Adds an {@linkplain #audioSample audio sample} to the open segment; the caller keeps and releases it. */
    void audio(long pts, ByteBuf sample);

    /** The bytes muxed into the open segment so far. */
    long bytes();

    /** Ends the open segment at {@code end}. */
    Finished finish(long end);

    /** Frees the open segment, if any, unwritten. */
    void release();

    /**
     * A segment ended.
     *
     * @param initName the name of the init segment it needs, null for MPEG-TS
     * @param init     that init segment, null for MPEG-TS
     * @param parts    its LL-HLS parts, already written
     */
    record Finished(byte[] bytes, String initName, byte[] init, List<Playlist.Part> parts) {

        public Finished {
            parts = List.copyOf(parts);
        }
    }
}
