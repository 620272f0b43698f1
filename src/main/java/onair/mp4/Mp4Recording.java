package onair.mp4;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Closes a recording written as fragmented MP4 ({@link FragmentedFile}), after a clean stop or a crash: cuts it back
 * to its last complete fragment, then either ends it with an {@code mfra} (kept fragmented) or finalises it as a
 * regular MP4 without moving a sample: a regular {@code moov} is appended and synced, and then one 16-byte write
 * turns the reserve after the {@code ftyp} into the header of an {@code mdat} that spans the initial {@code moov} and
 * every fragment, so the file reads as {@code ftyp, mdat, moov}. A crash at any point leaves a file that this
 * finishes again.
 */
public final class Mp4Recording {

    private Mp4Recording() {
    }

    /** Finishes the recording at {@code path}; one already finished in the wanted form is left as it is. */
    public static FragmentedFile.State finish(Path path, boolean fragmented) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return finish(channel, fragmented);
        }
    }

    /** Finishes the recording open in {@code channel}, which must be readable and writable. */
    public static FragmentedFile.State finish(FileChannel channel, boolean fragmented) throws IOException {
        FragmentedFile file = FragmentedFile.read(channel);
        if (file.state() == FragmentedFile.State.FINALISED || file.state() == FragmentedFile.State.FRAGMENTED
            && fragmented) {
            return file.state();
        }
        long end = file.state() == FragmentedFile.State.FRAGMENTED ? channel.size() - FragmentedFile.MFRA
            : file.fragmentsEnd();
        channel.truncate(end);
        if (fragmented) {
            ByteBuffer mfra = ByteBuffer.allocate(FragmentedFile.MFRA);
            mfra.putInt(FragmentedFile.MFRA).put(ascii("mfra")).putInt(16).put(ascii("mfro")).putInt(0)
                .putInt(FragmentedFile.MFRA).flip();
            write(channel, mfra, end);
            return FragmentedFile.State.FRAGMENTED;
        }
        try {
            RegularMoov.write(file, channel, end);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        channel.force(false);
        ByteBuffer brands = FragmentedFile.read(channel, 16, 8);
        if (brands != null && BoxRange.type(brands, 4).equals("cmfc")) {
            write(channel, ByteBuffer.wrap(ascii("isom")), 20);
        }
        ByteBuffer header = ByteBuffer.allocate(FragmentedFile.RESERVE);
        header.putInt(1).put(ascii("mdat")).putLong(end - file.ftypEnd()).flip();
        write(channel, header, file.ftypEnd());
        channel.force(false);
        return FragmentedFile.State.FINALISED;
    }

    /** The 16-byte {@code free} box a recording has between its {@code ftyp} and its initial {@code moov}. */
    public static byte[] reserve() {
        return ByteBuffer.allocate(FragmentedFile.RESERVE).putInt(FragmentedFile.RESERVE).put(ascii("free")).array();
    }

    private static void write(FileChannel channel, ByteBuffer bytes, long at) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes, at + bytes.position());
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
