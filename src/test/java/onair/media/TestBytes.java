package onair.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.util.Random;

/** Bytes for ByteSource tests: seeded random content, and the readable bytes of a released buffer. */
public final class TestBytes {

    private TestBytes() {
    }

    public static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    /** The readable bytes of {@code buffer}, which is released. */
    public static byte[] take(ByteBuf buffer) {
        try {
            return ByteBufUtil.getBytes(buffer);
        } finally {
            buffer.release();
        }
    }
}
