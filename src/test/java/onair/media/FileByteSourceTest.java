package onair.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** FileByteSource over a real file: exact reads, short reads at the end, refused reads, and sharing. */
class FileByteSourceTest {

    private static final byte[] CONTENT = TestBytes.random(100_000);

    @TempDir
    Path dir;

    private Path file() throws IOException {
        return Files.write(dir.resolve("media.bin"), CONTENT);
    }

    @ParameterizedTest(name = "{1} bytes at {0} give {2}")
    @CsvSource({"0, 9, 9", "12345, 4096, 4096", "99990, 10, 10", "99990, 100, 10", "100000, 5, 0", "200000, 5, 0",
        "5, 0, 0"})
    void readsTheBytesAtAPositionAndFewerOnlyAtTheEnd(long position, int length, int expected) throws IOException {
        try (FileByteSource source = FileByteSource.open(file())) {
            assertThat(source.size()).isEqualTo(CONTENT.length);
            int from = (int) Math.min(position, CONTENT.length);
            assertThat(TestBytes.take(source.read(position, length)))
                .isEqualTo(Arrays.copyOfRange(CONTENT, from, from + expected));
        }
    }

    @ParameterizedTest(name = "{1} bytes at {0}")
    @CsvSource({"-1, 5", "0, -1"})
    void aNegativePositionOrLengthIsRefused(long position, int length) throws IOException {
        try (FileByteSource source = FileByteSource.open(file())) {
            assertThatThrownBy(() -> source.read(position, length)).isInstanceOf(IOException.class)
                .hasMessageContaining("read of " + length + " bytes at " + position);
        }
    }

    @Test
    void aMissingFileAndAClosedSourceAreIOExceptions() throws IOException {
        assertThatThrownBy(() -> FileByteSource.open(dir.resolve("missing.flv")))
            .isInstanceOf(NoSuchFileException.class);

        FileByteSource source = FileByteSource.open(file());
        source.close();
        assertThatThrownBy(() -> source.read(0, 1)).isInstanceOf(IOException.class);
    }

    @Test
    void readersOnSeveralThreadsEachGetTheirBytes() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try (FileByteSource source = FileByteSource.open(file())) {
            List<Future<Integer>> readers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Random random = new Random(t);
                readers.add(threads.submit(() -> {
                    int mismatches = 0;
                    for (int i = 0; i < 2000; i++) {
                        int position = random.nextInt(CONTENT.length);
                        int length = random.nextInt(2000);
                        byte[] expected = Arrays.copyOfRange(CONTENT, position,
                            Math.min(CONTENT.length, position + length));
                        byte[] read = TestBytes.take(source.read(position, length));
                        mismatches += Arrays.equals(read, expected) ? 0 : 1;
                    }
                    return mismatches;
                }));
            }
            for (Future<Integer> reader : readers) {
                assertThat(reader.get()).as("reads that gave other bytes").isZero();
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
