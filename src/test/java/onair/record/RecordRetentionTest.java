package onair.record;

import onair.config.ServerConfig;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention of the recordings of a record path, by {@code record_max_age} and {@code record_path_max_size}: the
 * oldest recordings beyond the limits go, never a file that is not a recording (another extension, a directory) nor
 * one being recorded.
 */
class RecordRetentionTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    @TempDir
    Path dir;

    /** A file: its name, size in bytes, age in hours. */
    record File(String name, int size, int hours) {}

    static Stream<Arguments> cases() {
        List<File> week = List.of(new File("cam-1.mp4", 100, 24 * 9), new File("cam-2.mp4", 100, 24 * 8),
            new File("cam-3.mp4", 100, 24 * 2), new File("cam-4.mp4", 100, 1), new File("notes.txt", 100, 24 * 30),
            new File("old.flv", 100, 24 * 30));
        return Stream.of(
            Arguments.of("no limit", "", week, Set.of(), List.of()),
            Arguments.of("max age", "record_max_age 7d;", week, Set.of(), List.of("cam-1.mp4", "cam-2.mp4")),
            Arguments.of("max size", "record_path_max_size 250;", week, Set.of(), List.of("cam-1.mp4", "cam-2.mp4")),
            Arguments.of("size at the limit", "record_path_max_size 400;", week, Set.of(), List.of()),
            Arguments.of("both", "record_max_age 36h; record_path_max_size 1K;", week, Set.of(),
                List.of("cam-1.mp4", "cam-2.mp4", "cam-3.mp4")),
            Arguments.of("open files stay and count", "record_path_max_size 150;", week, Set.of("cam-1.mp4"),
                List.of("cam-2.mp4", "cam-3.mp4", "cam-4.mp4")),
            Arguments.of("the strictest of two recorders", "record_path_max_size 350; "
                + "recorder flv { record all; record_suffix .flv; record_max_age 10d; }", week, Set.of(),
                List.of("old.flv", "cam-1.mp4")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theOldestRecordingsBeyondTheLimitsAreDeleted(String name, String limits, List<File> files, Set<String> open,
            List<String> deleted) throws Exception {
        Files.createDirectory(dir.resolve("sub.mp4"));
        for (File file : files) {
            Path path = dir.resolve(file.name());
            Files.write(path, new byte[file.size()]);
            Files.setLastModifiedTime(path, FileTime.from(NOW.minus(Duration.ofHours(file.hours()))));
        }
        ServerConfig config = ServerConfig.parse("rtmp { server { listen 127.0.0.1:0; application live { live on; "
            + "record all; record_suffix .mp4; record_path " + dir + "; " + limits + " } } }", "test.conf");
        Recorders recorders = new Recorders(() -> config, Duration.ofSeconds(1), Clock.fixed(NOW, ZoneOffset.UTC));
        try {
            open.forEach(file -> recorders.opened(dir.resolve(file)));

            recorders.retain();

            List<String> left = Arrays.stream(dir.toFile().list()).sorted().toList();
            List<String> expected = Stream.concat(Stream.of("sub.mp4"), files.stream().map(File::name))
                .filter(file -> !deleted.contains(file)).sorted().toList();
            assertThat(left).isEqualTo(expected);
        } finally {
            recorders.close();
        }
    }
}
