package onair.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A local file read with positional reads of its channel, safe to share between readers. */
public final class FileByteSource implements ByteSource {

    private final FileChannel channel;

    private FileByteSource(FileChannel channel) {
        this.channel = channel;
    }

    public static FileByteSource open(Path path) throws IOException {
        return new FileByteSource(FileChannel.open(path, StandardOpenOption.READ));
    }

    @Override
    public long size() throws IOException {
        return channel.size();
    }

    @Override
    public ByteBuf read(long position, int length) throws IOException {
        if (position < 0 || length < 0) {
            throw new IOException("read of " + length + " bytes at " + position);
        }
        int wanted = (int) Math.max(0, Math.min(length, channel.size() - position));
        ByteBuffer buffer = ByteBuffer.allocate(wanted);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                break;
            }
        }
        buffer.flip();
        return Unpooled.wrappedBuffer(buffer);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
