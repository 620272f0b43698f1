package onair.amf;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/** The bounded primitive reads both AMF readers share: each checks the bytes left before it reads. */
final class AmfInput {

    private AmfInput() {
    }

    static double number(ByteBuf in, String format) {
        need(in, 8, format);
        return in.readDouble();
    }

    static int u8(ByteBuf in, String format) {
        need(in, 1, format);
        return in.readUnsignedByte();
    }

    static String utf8(ByteBuf in, int length, String format) {
        need(in, length, format);
        String s = in.toString(in.readerIndex(), length, StandardCharsets.UTF_8);
        in.skipBytes(length);
        return s;
    }

    static void need(ByteBuf in, int bytes, String format) {
        if (in.readableBytes() < bytes) {
            throw new AmfException(format + " value truncated: needs " + bytes + " bytes, " + in.readableBytes()
                + " left");
        }
    }
}
