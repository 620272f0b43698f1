package onair.record;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import onair.flv.Flv;
import onair.media.MediaFrame;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * One FLV file being recorded, written through a 64 KiB buffer (larger tags directly) by the record writer thread
 * only. Opened for
 * {@code record_append}, it continues after the last complete tag of an existing file, whose timestamp it reports so
 * the recording goes on without a time gap, as nginx-rtmp's {@code ngx_rtmp_record_node_open} does.
 */
final class FlvFile implements RecordFile {

    private static final int BUFFER = 64 * 1024;
    private static final int TAG_HEADER = 11;
    private static final Set<OpenOption> TRUNCATE = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
    private static final Set<OpenOption> APPEND = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.READ);

    private final Path path;
    private final FileChannel channel;
    private final ByteBuf buffer = Unpooled.buffer(BUFFER);
    private final int lastTimestamp;
    private final boolean locked;
    private long size;

    private FlvFile(Path path, FileChannel channel, long size, int lastTimestamp, boolean locked) {
        this.path = path;
        this.channel = channel;
        this.size = size;
        this.lastTimestamp = lastTimestamp;
        this.locked = locked;
    }

    /**
     * Opens or creates {@code path} (and its directory), truncated unless {@code append}; a new or truncated file
     * starts with the FLV header. With {@code lock}, takes an advisory lock on the whole file if it can.
     */
    static FlvFile open(Path path, boolean append, boolean lock, boolean audio, boolean video) throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        FileChannel channel = FileChannel.open(path, append ? APPEND : TRUNCATE);
        try {
            boolean locked = lock && lock(channel);
            long size = append ? channel.size() : 0;
            long last = 0;
            if (size > 0) {
                last = lastTimestamp(channel, size);
                if (last < 0) {
                    channel.truncate(0);
                    size = 0;
                    last = 0;
                }
            }
            FlvFile file = new FlvFile(path, channel, size, (int) last, locked);
            if (size == 0) {
                Flv.writeHeader(file.buffer, audio, video);
                file.size = Flv.HEADER_SIZE;
            }
            channel.position(append ? channel.size() : 0);
            return file;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public Path path() {
        return path;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int lastTimestamp() {
        return lastTimestamp;
    }

    @Override
    public boolean locked() {
        return locked;
    }

    /** FLV carries a new sequence header in the same file, as nginx-rtmp records it. */
    @Override
    public boolean accepts(MediaFrame sequenceHeader) {
        return true;
    }

    @Override
    public void write(MediaFrame frame, int timestamp) throws IOException {
        int tag = Flv.tagSize(frame.size());
        if (buffer.writableBytes() < tag) {
            flush();
        }
        if (tag <= buffer.writableBytes()) {
            Flv.writeTag(buffer, frame.kind().typeId, timestamp, frame.payload());
        } else {
            writeDirectly(frame, timestamp);
        }
        size += tag;
    }

    /** Writes a tag larger than the buffer straight from the frame's payload. */
    private void writeDirectly(MediaFrame frame, int timestamp) throws IOException {
        ByteBuf header = Unpooled.buffer(TAG_HEADER);
        Flv.writeTagHeader(header, frame.kind().typeId, timestamp, frame.size());
        ByteBuffer[] parts = {header.nioBuffer(), frame.payload().nioBuffer(),
            ByteBuffer.allocate(4).putInt(0, Flv.previousTagSize(frame.size()))};
        while (parts[2].hasRemaining()) {
            channel.write(parts);
        }
    }

    /** Flushes the buffer and closes the file (which also releases its lock). */
    @Override
    public void close() throws IOException {
        try (channel) {
            flush();
        } finally {
            buffer.release();
        }
    }

    private void flush() throws IOException {
        if (!buffer.isReadable()) {
            return;
        }
        ByteBuffer bytes = buffer.nioBuffer();
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        buffer.clear();
    }

    private static boolean lock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock() != null;
        } catch (OverlappingFileLockException e) {
            return false;
        }
    }

    /** The last tag's timestamp, found through the final PreviousTagSize, or -1 if the file does not end in a tag. */
    private static long lastTimestamp(FileChannel channel, long size) throws IOException {
        if (size < Flv.HEADER_SIZE + TAG_HEADER + 4) {
            return -1;
        }
        ByteBuffer trailer = ByteBuffer.allocate(4);
        readFully(channel, trailer, size - 4);
        long tagSize = Integer.toUnsignedLong(trailer.getInt(0));
        if (tagSize < TAG_HEADER || tagSize + 4 > size - Flv.HEADER_SIZE) {
            return -1;
        }
        ByteBuffer header = ByteBuffer.allocate(TAG_HEADER);
        readFully(channel, header, size - 4 - tagSize);
        return Integer.toUnsignedLong(Flv.timestamp(Unpooled.wrappedBuffer(header.flip()), 0));
    }

    private static void readFully(FileChannel channel, ByteBuffer into, long at) throws IOException {
        while (into.hasRemaining()) {
            if (channel.read(into, at + into.position()) < 0) {
                throw new IOException("unexpected end of " + channel);
            }
        }
    }
}
