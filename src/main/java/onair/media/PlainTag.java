package onair.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Rewrites the one track of an Enhanced RTMP v2 multitrack video packet as the tag a player without multitrack reads:
 * H.264 as a legacy AVC tag (FLV spec §E.4.3.1: AVCPacketType and composition time), other codecs as an Enhanced
 * RTMP v1 tag of their FourCC. The coded data is shared with the packet, not copied; only the header is new.
 */
public final class PlainTag {

    private static final int SEQUENCE_START = 0;
    private static final int CODED_FRAMES = 1;
    private static final int SEQUENCE_END = 2;
    private static final int CODED_FRAMES_X = 3;
    private static final int AVC = 7;

    private PlainTag() {}

    /**
     * The plain video tag of {@code body}, a multitrack packet of a single track; null for a packet of several tracks,
     * a malformed one, or a packet type the plain layout has no place for.
     */
    public static ByteBuf video(ByteBuf body, ByteBufAllocator alloc) {
        EnhancedTag tag;
        try {
            tag = EnhancedTag.read(MediaFrame.Kind.VIDEO, body);
        } catch (MediaFormatException e) {
            return null;
        }
        if (tag == null || tag.tracks().size() != 1 || tag.layout() == EnhancedTag.Layout.SINGLE) {
            return null;
        }
        EnhancedTag.Track track = tag.tracks().getFirst();
        int frameType = (body.getUnsignedByte(body.readerIndex()) >> 4) & 0x07;
        int packetType = tag.packetType();
        int at = body.readerIndex() + track.offset();
        int length = track.length();
        ByteBuf header;
        if (track.codec() == Codec.H264) {
            if (packetType > CODED_FRAMES_X || packetType == CODED_FRAMES && length < 3) {
                return null;
            }
            header = alloc.buffer(5).writeByte(frameType << 4 | AVC)
                .writeByte(packetType == SEQUENCE_START ? 0 : packetType == SEQUENCE_END ? 2 : 1);
            if (packetType == CODED_FRAMES) {
                header.writeBytes(body, at, 3);
                at += 3;
                length -= 3;
            } else {
                header.writeMedium(0);
            }
        } else if (track.codec().fourCc() != null) {
            header = alloc.buffer(5).writeByte(0x80 | frameType << 4 | packetType);
            header.writeCharSequence(track.codec().fourCc(), StandardCharsets.US_ASCII);
        } else {
            return null;
        }
        CompositeByteBuf plain = alloc.compositeBuffer(2);
        plain.addComponent(true, header);
        plain.addComponent(true, body.retainedSlice(at, length));
        return plain;
    }
}
