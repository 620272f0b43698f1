package onair.exec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits what a child writes to a pipe into lines for the log. Lines end at {@code \n} or {@code \r} (ffmpeg
 * rewrites its progress line with {@code \r}); empty lines are skipped; a line longer than the limit is cut there and
 * marked with the number of bytes left out, so memory stays bounded whatever the child writes. The lines go to
 * this class's logger, {@code onair.exec.ChildOutput}, at INFO.
 */
public final class ChildOutput {

    private ChildOutput() {}

    /** Reads {@code in} to its end, handing each line to {@code lines}; returns at end of stream or on a read error. */
    static void pump(InputStream in, int maxLine, Consumer<String> lines) {
        byte[] line = new byte[maxLine];
        byte[] chunk = new byte[8192];
        int length = 0;
        long dropped = 0;
        try (in) {
            int n;
            while ((n = in.read(chunk)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte b = chunk[i];
                    if (b == '\n' || b == '\r') {
                        emit(line, length, dropped, lines);
                        length = 0;
                        dropped = 0;
                    } else if (length < maxLine) {
                        line[length++] = b;
                    } else {
                        dropped++;
                    }
                }
            }
        } catch (IOException e) {
            // The pipe closed under us: the child is gone, and what it wrote is all there is.
        }
        emit(line, length, dropped, lines);
    }

    private static void emit(byte[] line, int length, long dropped, Consumer<String> lines) {
        if (length == 0) {
            return;
        }
        String text = new String(line, 0, length, StandardCharsets.UTF_8);
        lines.accept(dropped == 0 ? text : text + " [" + dropped + " more bytes]");
    }
}
