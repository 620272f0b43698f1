package onair.httpflv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import onair.media.MediaFrame;

import java.util.function.Function;

/**
 * A frame as an FLV tag (FLV spec §E.4.1): an 11-byte tag header, the frame's body as a retained slice, and the
 * 4-byte PreviousTagSize. Made once per frame ({@link MediaFrame#encoded}) and shared by every HTTP-FLV and
 * WebSocket-FLV viewer.
 */
final class FlvTag implements Function<MediaFrame, ByteBuf> {

    static final FlvTag ENCODING = new FlvTag();

    /** The FLV file header for audio and video (FLV spec §E.2) followed by PreviousTagSize0. */
    static final byte[] HEADER = {'F', 'L', 'V', 1, 0x05, 0, 0, 0, 9, 0, 0, 0, 0};

    private static final int TAG_HEADER_SIZE = 11;
    private static final ByteBufAllocator POOLED = PooledByteBufAllocator.DEFAULT;

    private FlvTag() {}

    /** The frame's shared tag; the caller takes its own reference (a retained duplicate) to write it. */
    static ByteBuf of(MediaFrame frame) {
        return frame.encoded(ENCODING, ENCODING);
    }

    /** The FLV header with the audio/video flags set for the tracks a stream has (both when unknown). */
    static byte[] header(boolean audio, boolean video) {
        byte[] header = HEADER.clone();
        header[4] = (byte) ((audio || !video ? 0x04 : 0) | (video || !audio ? 0x01 : 0));
        return header;
    }

    @Override
    public ByteBuf apply(MediaFrame frame) {
        int size = frame.size();
        int timestamp = frame.timestamp();
        ByteBuf head = POOLED.directBuffer(TAG_HEADER_SIZE, TAG_HEADER_SIZE)
                .writeByte(frame.kind().typeId)
                .writeMedium(size)
                .writeMedium(timestamp & 0xFF_FFFF)
                .writeByte(timestamp >>> 24)
                .writeMedium(0);
        ByteBuf trailer = POOLED.directBuffer(4, 4).writeInt(TAG_HEADER_SIZE + size);
        CompositeByteBuf tag = POOLED.compositeDirectBuffer(3);
        tag.addComponents(true, head, frame.payload().retainedSlice(), trailer);
        return tag;
    }
}
