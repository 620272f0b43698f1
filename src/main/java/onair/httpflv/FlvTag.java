package onair.httpflv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import onair.flv.Flv;
import onair.media.MediaFrame;

import java.util.function.Function;

/**
 * A frame as an FLV tag (FLV spec §E.4.1): an 11-byte tag header, the frame's body as a retained slice, and the
 * 4-byte PreviousTagSize. Made once per frame ({@link MediaFrame#encoded}) and shared by every HTTP-FLV and
 * WebSocket-FLV viewer.
 */
final class FlvTag implements Function<MediaFrame, ByteBuf> {

    static final FlvTag ENCODING = new FlvTag();

    private static final ByteBufAllocator POOLED = PooledByteBufAllocator.DEFAULT;

    private FlvTag() {}

    /** The frame's shared tag; the caller takes its own reference (a retained duplicate) to write it. */
    static ByteBuf of(MediaFrame frame) {
        return frame.encoded(ENCODING, ENCODING);
    }

    /**
     * The FLV header (FLV spec §E.2) with PreviousTagSize0, flagging the tracks a stream has, or both while neither is
     * known yet.
     */
    static ByteBuf header(boolean audio, boolean video) {
        ByteBuf header = Unpooled.buffer(Flv.HEADER_SIZE);
        Flv.writeHeader(header, audio || !video, video || !audio);
        return header;
    }

    @Override
    public ByteBuf apply(MediaFrame frame) {
        int size = frame.size();
        ByteBuf head = POOLED.directBuffer(Flv.TAG_HEADER_SIZE, Flv.TAG_HEADER_SIZE);
        Flv.writeTagHeader(head, frame.kind().typeId, frame.timestamp(), size);
        ByteBuf trailer = POOLED.directBuffer(4, 4).writeInt(Flv.previousTagSize(size));
        CompositeByteBuf tag = POOLED.compositeDirectBuffer(3);
        tag.addComponents(true, head, frame.payload().retainedSlice(), trailer);
        return tag;
    }
}
