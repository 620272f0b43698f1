package onair.flv;

import io.netty.buffer.ByteBuf;

/**
 * FLV file framing (FLV spec §E.2, §E.3): the file header with PreviousTagSize0, and tags of an 11-byte header, the
 * tag body as RTMP carries it and a PreviousTagSize trailer.
 */
public final class Flv {

    /** The FLV header and PreviousTagSize0. */
    public static final int HEADER_SIZE = 9 + 4;

    /** The header before each tag body. */
    public static final int TAG_HEADER_SIZE = 11;
    private static final int TRAILER_SIZE = 4;

    private Flv() {
    }

    /** Writes the header announcing audio and/or video tags, then PreviousTagSize0. */
    public static void writeHeader(ByteBuf out, boolean audio, boolean video) {
        out.writeByte('F').writeByte('L').writeByte('V').writeByte(1);
        out.writeByte((audio ? 0x04 : 0) | (video ? 0x01 : 0));
        out.writeInt(9);
        out.writeInt(0);
    }

    /** The bytes {@link #writeTag} writes for a body of {@code bodySize} bytes. */
    public static int tagSize(int bodySize) {
        return TAG_HEADER_SIZE + bodySize + TRAILER_SIZE;
    }

    /**
     * Writes one tag: {@code type} (8 audio, 9 video, 18 script data), the 32-bit {@code timestamp} in milliseconds
     * split into 24 bits and the extension byte, stream id 0, the readable bytes of {@code body} (its indexes are left
     * untouched) and the PreviousTagSize.
     */
    public static void writeTag(ByteBuf out, int type, int timestamp, ByteBuf body) {
        int size = body.readableBytes();
        writeTagHeader(out, type, timestamp, size);
        out.writeBytes(body, body.readerIndex(), size);
        out.writeInt(previousTagSize(size));
    }

    /** Writes the 11-byte header of a tag with a body of {@code bodySize} bytes. */
    public static void writeTagHeader(ByteBuf out, int type, int timestamp, int bodySize) {
        out.writeByte(type);
        out.writeMedium(bodySize);
        out.writeMedium(timestamp & 0xFF_FFFF);
        out.writeByte(timestamp >>> 24);
        out.writeMedium(0);
    }

    /** The PreviousTagSize that follows a tag with a body of {@code bodySize} bytes. */
    public static int previousTagSize(int bodySize) {
        return TAG_HEADER_SIZE + bodySize;
    }

    /** The timestamp of a tag whose 11-byte header starts at {@code at} in {@code in}. */
    public static int timestamp(ByteBuf in, int at) {
        return in.getUnsignedMedium(at + 4) | in.getUnsignedByte(at + 7) << 24;
    }
}
