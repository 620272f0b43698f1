package onair.hls;

import onair.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class HlsWriterTest {

    @TempDir
    Path dir;

    @Test
    void aFullQueueRefusesWritesAndSaysSoOnce() throws Exception {
        CountDownLatch disk = new CountDownLatch(1);
        try (HlsWriter writer = new HlsWriter(); LogCapture log = new LogCapture(HlsWriter.class)) {
            assertThat(writer.submit("slow disk", () -> {
                try {
                    disk.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            })).isTrue();
            int accepted = 0;
            while (writer.submit("segment " + accepted, () -> { })) {
                accepted++;
            }
            assertThat(writer.submit("one more", () -> { })).isFalse();

            assertThat(accepted).isEqualTo(63);
            assertThat(log.lines("does not keep up")).containsExactly(
                "hls: the disk does not keep up, dropping segment 63 (further drops are not logged)");
            disk.countDown();
        }
    }

    @Test
    void closeRunsEveryQueuedWriteFirst() throws Exception {
        HlsWriter writer = new HlsWriter();
        for (int i = 0; i < 20; i++) {
            Path file = dir.resolve(i + ".ts");
            writer.submit("write", () -> HlsWriter.writeAtomically(file, new byte[188]));
        }
        writer.close();

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(file -> file.getFileName().toString())).hasSize(20).allMatch(n -> n.endsWith(".ts"));
        }
        assertThat(writer.submit("after close", () -> { })).isFalse();
    }

    @Test
    void aSegmentWriteWritesItsFilesThenItsPlaylistsAndReportsABlockingReloadPlaylist() throws Exception {
        List<String> written = new ArrayList<>();
        byte[] key = new byte[16];
        HlsWriter writer = new HlsWriter((playlist, sequence, parts, target, ended) ->
            written.add(playlist.getFileName() + " " + sequence + " " + parts + " " + target + " " + ended));
        writer.submit(new SegmentWrite("segment", List.of(SegmentWrite.File.plain(dir.resolve("s-0.key"), key),
            new SegmentWrite.File(dir.resolve("s-0.ts"), new byte[188], key, 0)),
            new SegmentWrite.MediaPlaylist(dir.resolve("s.m3u8"), "#EXTM3U\n", false, 1, 0, Duration.ofSeconds(2),
                false), SegmentWrite.File.plain(dir.resolve("m.m3u8"), new byte[] {'#'})));
        writer.submit(new SegmentWrite("part", List.of(), new SegmentWrite.MediaPlaylist(dir.resolve("ll.m3u8"),
            "#EXTM3U\n", true, 3, 2, Duration.ofSeconds(2), true), null));
        writer.close();

        assertThat(dir.resolve("s-0.key")).hasBinaryContent(key);
        assertThat(dir.resolve("s-0.ts")).hasBinaryContent(SegmentKeys.encrypt(new byte[188], key, 0));
        assertThat(dir.resolve("s.m3u8")).hasContent("#EXTM3U");
        assertThat(dir.resolve("m.m3u8")).hasContent("#");
        assertThat(dir.resolve("ll.m3u8")).hasContent("#EXTM3U");
        assertThat(written).containsExactly("ll.m3u8 3 2 PT2S true");
    }

    @Test
    void theSweepDeletesSegmentsAfterTwoPlaylistLengthsAndPlaylistsAfterOne() throws Exception {
        Path nested = Files.createDirectories(dir.resolve("gone"));
        Path oldSegment = touch(dir.resolve("s-1.ts"), 25);
        Path newerSegment = touch(dir.resolve("s-2.ts"), 15);
        Path oldPlaylist = touch(dir.resolve("s.m3u8"), 15);
        Path newPlaylist = touch(dir.resolve("t.m3u8"), 5);
        Path key = touch(dir.resolve("s-0.key"), 25);
        Path other = touch(dir.resolve("notes.txt"), 1000);
        touch(nested.resolve("0.ts"), 25);
        try (HlsWriter writer = new HlsWriter()) {
            writer.sweep(dir, Duration.ofSeconds(10));

            await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(oldSegment));
            assertThat(key).doesNotExist();
            assertThat(oldPlaylist).doesNotExist();
            assertThat(nested).doesNotExist();
            assertThat(newerSegment).exists();
            assertThat(newPlaylist).exists();
            assertThat(other).exists();
        }
    }

    private static Path touch(Path file, int secondsAgo) throws Exception {
        Files.write(file, new byte[1]);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(secondsAgo)));
        return file;
    }
}
