package onair.mp4;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Writes boxes to a file from a position on, through a 64 KiB buffer: a box's size (and a table's entry count) is
 * filled in when it ends, in the buffer or in the file, so tables of any length are written in bounded memory. A
 * failed write throws {@link UncheckedIOException}.
 */
final class BoxOutput {

    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 << 10);
    private final Deque<Long> open = new ArrayDeque<>();
    private long flushed;

    BoxOutput(FileChannel channel, long at) {
        this.channel = channel;
        this.flushed = at;
    }

    long position() {
        return flushed + buffer.position();
    }

    void begin(String type) {
        open.push(position());
        putInt(0);
        put(type.getBytes(StandardCharsets.ISO_8859_1));
    }

    void beginFull(String type, int version, int flags) {
        begin(type);
        putInt(version << 24 | flags);
    }

    void end() {
        long start = open.pop();
        patch(start, (int) (position() - start));
    }

    /** Writes {@code value} at {@code at}, a position already written. */
    void patch(long at, int value) {
        if (at >= flushed) {
            buffer.putInt((int) (at - flushed), value);
        } else {
            ByteBuffer bytes = ByteBuffer.allocate(4).putInt(0, value);
            try {
                while (bytes.hasRemaining()) {
                    channel.write(bytes, at + bytes.position());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    void putInt(int value) {
        room(4);
        buffer.putInt(value);
    }

    void putLong(long value) {
        room(8);
        buffer.putLong(value);
    }

    void putShort(int value) {
        room(2);
        buffer.putShort((short) value);
    }

    void put(byte[] bytes) {
        for (int at = 0; at < bytes.length; ) {
            room(1);
            int n = Math.min(buffer.remaining(), bytes.length - at);
            buffer.put(bytes, at, n);
            at += n;
        }
    }

    /** Appends the first {@code length} bytes of {@code from}. */
    void copy(FileChannel from, long length) {
        flush();
        try {
            for (long at = 0; at < length; ) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), length - at));
                while (buffer.hasRemaining()) {
                    if (from.read(buffer, at + buffer.position()) < 0) {
                        throw new IOException("the table file ended early");
                    }
                }
                at += buffer.position();
                flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void zero(int count) {
        put(new byte[count]);
    }

    private void room(int bytes) {
        if (buffer.remaining() < bytes) {
            flush();
        }
    }

    void flush() {
        buffer.flip();
        try {
            while (buffer.hasRemaining()) {
                flushed += channel.write(buffer, flushed);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        buffer.clear();
    }
}
