package onair.flv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import onair.media.ByteSource;

import java.io.IOException;

/** A ByteSource over a byte array that remembers how far it was read and whether it was closed. */
final class MemorySource implements ByteSource {

    private final byte[] bytes;
    private final long size;
    long furthest;
    boolean closed;

    MemorySource(byte[] bytes) {
        this(bytes, bytes.length);
    }

    /** A source that claims {@code size} bytes, which may be more than it has. */
    MemorySource(byte[] bytes, long size) {
        this.bytes = bytes;
        this.size = size;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public ByteBuf read(long position, int length) throws IOException {
        if (closed) {
            throw new IOException("closed");
        }
        int from = (int) Math.min(position, bytes.length);
        int to = (int) Math.min(bytes.length, position + length);
        furthest = Math.max(furthest, to);
        return Unpooled.copiedBuffer(bytes, from, to - from);
    }

    @Override
    public void close() {
        closed = true;
    }
}
