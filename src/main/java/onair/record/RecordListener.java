package onair.record;

import onair.config.RecordConfig;
import onair.stream.Client;
import onair.stream.StreamKey;

import java.nio.file.Path;

/**
 * Learns of every recording file opened and closed (nginx-rtmp's {@code record_started} and {@code record_done}
 * events, for the {@code on_record_*} and {@code exec_record_*} hooks). Called on the record writer thread: must not
 * block; hand slow work off.
 */
public interface RecordListener {

    /**
     * A recording file was opened.
     *
     * @param recorder  the recorder's settings; its name is "" for the application's own
     * @param publisher the client publishing the stream, or null for a publication without a client connection
     */
    default void recordStarted(StreamKey stream, RecordConfig.Recorder recorder, Path file, Client publisher) {
    }

    /** A recording file was flushed and closed: its last byte is on disk (in the OS's cache). */
    void recordDone(StreamKey stream, RecordConfig.Recorder recorder, Path file, Client publisher);
}
