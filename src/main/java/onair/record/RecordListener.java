package onair.record;

import onair.stream.Client;
import onair.stream.StreamKey;

import java.nio.file.Path;

/**
 * Learns of every recording file opened and closed (nginx-rtmp's {@code record_started} and {@code record_done}
 * events, for {@code on_record_done} and {@code exec_record_done}). Called on the record writer thread: must not
 * block; hand slow work off.
 */
public interface RecordListener {

    /**
     * A recording file was opened.
     *
     * @param recorder  the recorder's name, "" for the application's own
     * @param publisher the client publishing the stream, or null for a publication without a client connection
     */
    default void recordStarted(StreamKey stream, String recorder, Path file, Client publisher) {
    }

    /** A recording file was flushed and closed: its last byte is on disk (in the OS's cache). */
    void recordDone(StreamKey stream, String recorder, Path file, Client publisher);
}
