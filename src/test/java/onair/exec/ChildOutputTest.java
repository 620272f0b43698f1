package onair.exec;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChildOutputTest {

    private static List<String> lines(String written, int maxLine) {
        List<String> lines = new ArrayList<>();
        ChildOutput.pump(new ByteArrayInputStream(written.getBytes(StandardCharsets.UTF_8)), maxLine, lines::add);
        return lines;
    }

    @Test
    void linesEndAtNewlinesAndCarriageReturns() {
        assertThat(lines("one\ntwo\r\nframe=1\rframe=2\r\n\nlast", 100))
            .containsExactly("one", "two", "frame=1", "frame=2", "last");
    }

    @Test
    void aLongLineIsCutAndSaysHowMuchWasLeftOut() {
        assertThat(lines("abcdefgh\nxy\n" + "z".repeat(10_000), 5))
            .containsExactly("abcde [3 more bytes]", "xy", "zzzzz [9995 more bytes]");
    }

    @Test
    void textIsUtf8() {
        assertThat(lines("caméra ✓\n", 100)).containsExactly("caméra ✓");
    }

    @Test
    void nothingWrittenIsNoLine() {
        assertThat(lines("", 10)).isEmpty();
        assertThat(lines("\r\n\n", 10)).isEmpty();
    }
}
