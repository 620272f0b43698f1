package onair.record;

import onair.media.MediaFrame;

import java.io.IOException;
import java.nio.file.Path;

/** One file being recorded ({@link FlvFile} or {@link Mp4File}), written by the record writer thread only. */
interface RecordFile extends AutoCloseable {

    Path path();

    /** Bytes in the file, counting what is still buffered. */
    long size();

    /** The timestamp of the last frame of the file appended to, or 0. */
    int lastTimestamp();

    /** Whether {@code record_lock} got its lock. */
    boolean locked();

    /** Whether a sequence header that arrives once the file has started can go into it. */
    boolean accepts(MediaFrame sequenceHeader);

    /** Appends {@code frame} at {@code timestamp} (milliseconds from the file's start). */
    void write(MediaFrame frame, int timestamp) throws IOException;

    /** Writes what is buffered, finishes and closes the file. */
    @Override
    void close() throws IOException;
}
