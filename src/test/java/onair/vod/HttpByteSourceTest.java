package onair.vod;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.netty.buffer.ByteBufUtil;
import onair.flv.FlvBytes;
import onair.flv.FlvDemuxer;
import onair.media.FileByteSource;
import onair.media.FrameReader;
import onair.media.MediaFrame;
import onair.media.TestBytes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * HttpByteSource against the JDK's HTTP server: one that answers ranges as RFC 9110 §14 says, one that ignores them,
 * one that has no file, one that answers other bytes than asked and one that stalls.
 */
class HttpByteSourceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");
    private static final long IGNORED_FILE = 64L << 20;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(TIMEOUT).build();
    private final ExecutorService handlers = Executors.newFixedThreadPool(4);
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicLong ignoredBytesSent = new AtomicLong();
    private final CountDownLatch ignoredDone = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private byte[] content = TestBytes.random(3 * HttpByteSource.WINDOW + 123);

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(handlers);
        server.createContext("/ranged", exchange -> answerRange(exchange, 0));
        server.createContext("/shifted", exchange -> answerRange(exchange, 1));
        server.createContext("/missing", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.createContext("/ignoring", this::ignoreRange);
        server.createContext("/stalling", this::stall);
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
        handlers.shutdownNow();
        client.close();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** Answers a range request with 206 and the bytes, later ones {@code shift} bytes on from those asked for. */
    private void answerRange(HttpExchange exchange, int shift) throws IOException {
        requests.incrementAndGet();
        Matcher range = RANGE.matcher(exchange.getRequestHeaders().getFirst("Range"));
        if (!range.matches()) {
            exchange.sendResponseHeaders(400, -1);
        } else if (Long.parseLong(range.group(1)) >= content.length) {
            exchange.getResponseHeaders().set("Content-Range", "bytes */" + content.length);
            exchange.sendResponseHeaders(416, -1);
        } else {
            int first = Integer.parseInt(range.group(1));
            first += first == 0 ? 0 : shift;
            int last = range.group(2).isEmpty() ? content.length - 1
                : (int) Math.min(content.length - 1, Long.parseLong(range.group(2)) + (first == 0 ? 0 : shift));
            exchange.getResponseHeaders().set("Content-Range", "bytes " + first + "-" + last + "/" + content.length);
            exchange.sendResponseHeaders(206, last - first + 1);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(content, first, last - first + 1);
            }
        }
        exchange.close();
    }

    /** Sends the whole of a large file with 200, counting what gets through before the client hangs up. */
    private void ignoreRange(HttpExchange exchange) throws IOException {
        byte[] chunk = new byte[64 << 10];
        try (OutputStream body = exchange.getResponseBody()) {
            exchange.sendResponseHeaders(200, IGNORED_FILE);
            for (long sent = 0; sent < IGNORED_FILE; sent += chunk.length) {
                body.write(chunk);
                ignoredBytesSent.addAndGet(chunk.length);
            }
        } finally {
            ignoredDone.countDown();
        }
    }

    /** Answers the size, then sends half of any other range and waits. */
    private void stall(HttpExchange exchange) throws IOException {
        if (exchange.getRequestHeaders().getFirst("Range").equals("bytes=0-0")) {
            answerRange(exchange, 0);
            return;
        }
        exchange.getResponseHeaders().set("Content-Range", "bytes 0-9/" + content.length);
        exchange.sendResponseHeaders(206, 10);
        OutputStream body = exchange.getResponseBody();
        body.write(content, 0, 5);
        body.flush();
        try {
            release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        exchange.close();
    }

    @ParameterizedTest(name = "{1} bytes at {0}")
    @CsvSource({"0, 1", "0, 4096", "1048000, 2000", "1048576, 1048576", "100, 3000000", "3145800, 100",
        "3145851, 10", "9999999, 10", "17, 0"})
    void readsTheBytesOfTheFileAndFewerOnlyAtTheEnd(long position, int length) throws IOException {
        try (HttpByteSource source = HttpByteSource.open(client, uri("/ranged"), TIMEOUT)) {
            assertThat(source.size()).isEqualTo(content.length);
            int from = (int) Math.min(position, content.length);
            int to = (int) Math.min(content.length, position + length);

            assertThat(TestBytes.take(source.read(position, length))).isEqualTo(Arrays.copyOfRange(content, from,
                to));
        }
    }

    @Test
    void sequentialSmallReadsShareOneRequestPerWindow() throws IOException {
        try (HttpByteSource source = HttpByteSource.open(client, uri("/ranged"), TIMEOUT)) {
            byte[] read = new byte[content.length];
            for (int at = 0; at < content.length; at += 1000) {
                byte[] part = TestBytes.take(source.read(at, 1000));
                System.arraycopy(part, 0, read, at, part.length);
            }

            assertThat(read).isEqualTo(content);
            assertThat(requests.get()).as("requests: one for the size, then one per window")
                .isEqualTo(1 + (content.length + HttpByteSource.WINDOW - 1) / HttpByteSource.WINDOW);
        }
    }

    @Test
    void aReadOfMoreThan16MiBIsRefusedWithoutARequest() throws IOException {
        try (HttpByteSource source = HttpByteSource.open(client, uri("/ranged"), TIMEOUT)) {
            assertThatThrownBy(() -> source.read(0, HttpByteSource.MAX_READ + 1)).isInstanceOf(IOException.class)
                .hasMessageContaining("read of 16777217 bytes at 0 (at most 16777216)");
            assertThat(requests.get()).isEqualTo(1);
        }
    }

    @Test
    void aServerThatIgnoresRangesIsRefusedWithoutDownloadingTheFile() throws InterruptedException {
        assertThatThrownBy(() -> HttpByteSource.open(client, uri("/ignoring"), TIMEOUT))
            .isExactlyInstanceOf(IOException.class).hasMessageContaining("server does not support range requests");

        assertThat(ignoredDone.await(10, TimeUnit.SECONDS)).as("the server stops sending").isTrue();
        assertThat(ignoredBytesSent.get()).as("bytes the server got to send").isLessThan(IGNORED_FILE / 2);
    }

    @Test
    void aMissingFileIsAFileNotFoundException() {
        assertThatThrownBy(() -> HttpByteSource.open(client, uri("/missing"), TIMEOUT))
            .isInstanceOf(FileNotFoundException.class).hasMessageContaining("/missing: HTTP 404");
    }

    @Test
    void otherBytesThanAskedForAreAnIOException() throws IOException {
        try (HttpByteSource source = HttpByteSource.open(client, uri("/shifted"), TIMEOUT)) {
            assertThatThrownBy(() -> source.read(100, 10)).isExactlyInstanceOf(IOException.class)
                .hasMessageContaining("answered bytes 100-1048675 with Content-Range bytes 101-1048676/");
        }
    }

    @Test
    void aServerThatStallsTimesOut() throws IOException {
        Duration timeout = Duration.ofMillis(300);
        try (HttpByteSource source = HttpByteSource.open(client, uri("/stalling"), timeout)) {
            long start = System.nanoTime();

            assertThatThrownBy(() -> source.read(0, 10)).isInstanceOf(HttpTimeoutException.class)
                .hasMessageContaining("within PT0.3S");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void aClosedSourceRefusesReads() throws IOException {
        HttpByteSource source = HttpByteSource.open(client, uri("/ranged"), TIMEOUT);
        source.close();

        assertThatThrownBy(() -> source.read(0, 1)).isInstanceOf(IOException.class).hasMessageContaining("closed");
    }

    @Test
    void anEmptyFileHasSizeZero() throws IOException {
        content = new byte[0];
        try (HttpByteSource source = HttpByteSource.open(client, uri("/ranged"), TIMEOUT)) {
            assertThat(source.size()).isZero();
            assertThat(TestBytes.take(source.read(0, 10))).isEmpty();
        }
    }

    @Test
    void flvDemuxerReadsTheSameFramesOverHttpAsFromTheFile() throws IOException {
        FlvBytes flv = new FlvBytes().avcHeader().aacHeader();
        for (int t = 0; t < 60_000; t += 40) {
            flv.audio(t, 300).video(t, t % 2000 == 0, t % 2000 == 0 ? 20_000 : 2000);
        }
        content = flv.bytes();
        Path file = Files.write(dir.resolve("clip.flv"), content);

        List<String> fromFile = framesAfterSeek(FlvDemuxer.open(FileByteSource.open(file)));
        List<String> overHttp = framesAfterSeek(FlvDemuxer.open(HttpByteSource.open(client, uri("/ranged"),
            TIMEOUT)));

        assertThat(overHttp).isEqualTo(fromFile).hasSizeGreaterThan(1000);
        assertThat(requests.get()).as("requests for a scan, a seek and the frames after it")
            .isLessThan(3 * content.length / HttpByteSource.WINDOW);
    }

    /** The sequence headers, then the frames after seek(30000), as kind, timestamp and payload. */
    private static List<String> framesAfterSeek(FrameReader reader) throws IOException {
        List<String> frames = new ArrayList<>();
        try (reader) {
            reader.sequenceHeaders().forEach(frame -> frames.add(describe(frame)));
            frames.add("seek " + reader.seek(30_000));
            for (MediaFrame frame; (frame = reader.next()) != null; ) {
                frames.add(describe(frame));
            }
        }
        return frames;
    }

    private static String describe(MediaFrame frame) {
        try {
            return frame.kind() + "@" + frame.timestamp() + " " + ByteBufUtil.hexDump(frame.payload());
        } finally {
            frame.release();
        }
    }
}
