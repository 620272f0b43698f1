package onair.media;

import io.netty.buffer.ByteBuf;

import java.io.Closeable;
import java.io.IOException;

/** Random-access bytes of a media file: a local file or a remote one read with HTTP range requests. */
public interface ByteSource extends Closeable {

    /** The total size in bytes. */
    long size() throws IOException;

    /** Reads exactly {@code length} bytes at {@code position} (fewer only at the end) into a new heap buffer. */
    ByteBuf read(long position, int length) throws IOException;
}
