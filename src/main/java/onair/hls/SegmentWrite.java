package onair.hls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What one step of a stream's HLS output writes, in order, on the {@link HlsWriter}'s thread: its files (a key, an
 * init segment, a segment or a part), then its media playlist, then the master playlist; each is replaced atomically.
 *
 * @param what     what is written, for the log
 * @param playlist the media playlist, or null
 * @param master   the master playlist, or null
 */
record SegmentWrite(String what, List<File> files, MediaPlaylist playlist, File master) {

    SegmentWrite {
        files = List.copyOf(files);
    }

    /**
     * A file written whole: {@code bytes}, or with a {@code key} those bytes encrypted with it under the IV of
     * segment {@code sequence} (RFC 8216 §5.2).
     */
    record File(Path path, byte[] bytes, byte[] key, long sequence) {

        static File plain(Path path, byte[] bytes) {
            return new File(path, bytes, null, 0);
        }

        /** What the file holds once written; the encryption, if any, runs on the writer thread. */
        byte[] contents() {
            return key == null ? bytes : SegmentKeys.encrypt(bytes, key, sequence);
        }
    }

    /**
     * A media playlist; one with {@code blockingReloads} (LL-HLS, RFC 8216bis §6.2.5.2) is reported to the
     * {@link HlsOutput.PlaylistListener} once written, listing segment {@code sequence} with {@code parts} parts.
     */
    record MediaPlaylist(Path path, String text, boolean blockingReloads, long sequence, int parts,
                         Duration targetDuration, boolean ended) {
    }
}
