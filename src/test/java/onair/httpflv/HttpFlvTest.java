package onair.httpflv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.Unpooled;
import onair.it.FlvTag;
import onair.it.FlvTagReader;
import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.stream.Subscriber;
import onair.testing.Frames;
import onair.testing.SyntheticPublisher;
import onair.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.jr.ob.JSON;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

class HttpFlvTest {

    private TestServer server;
    private InetSocketAddress http;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start("""
                rtmp { server { listen 127.0.0.1:0; application live { live on; } } }
                http { server { listen 127.0.0.1:0; location / { } location /live { flv_live on; } location /flv { flv_live on; }
                    location /stat { rtmp_stat all; } location /metrics { rtmp_metrics on; } } }
                """);
        http = server.server().httpAddresses().getFirst();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** An HTTP-FLV response being read: the head's headers, then FLV tags from the de-chunked body. */
    private record Download(Socket socket, Counted in, String head, FlvTagReader tags) implements AutoCloseable {

        static Download open(InetSocketAddress http, String path) throws IOException {
            Socket socket = new Socket(http.getAddress(), http.getPort());
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            Counted in = new Counted(socket.getInputStream());
            return new Download(socket, in, readHead(in), new FlvTagReader(new Dechunked(in)));
        }

        /** The bytes read from the socket so far, response head and chunk framing included. */
        long bytesRead() {
            return in.count;
        }

        /** Reads a response head up to and including its blank line. */
        static String readHead(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed in the head: " + head);
                }
                head.append((char) b);
            }
            return head.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** A socket's input that counts the bytes read from it. */
    private static final class Counted extends FilterInputStream {
        private long count;

        Counted(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count += Math.max(n, 0);
            return n;
        }
    }

    /** The de-chunked body of an HTTP/1.1 chunked response. */
    private static final class Dechunked extends InputStream {
        private final InputStream in;
        private int left;
        private boolean done;

        Dechunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                left = Integer.parseInt(line(), 16);
                if (left == 0) {
                    line();
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, Math.min(len, left));
            if (n < 0) {
                throw new IOException("closed inside a chunk");
            }
            left -= n;
            if (left == 0) {
                line();
            }
            return n;
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("closed without the terminating chunk");
                }
                line.append((char) c);
            }
            return line.toString().trim();
        }
    }

    private static int sequence(FlvTag tag) {
        return Frames.sequence(Unpooled.wrappedBuffer(tag.body()));
    }

    @Test
    void aViewerGetsTheHeaderTheCacheThenLiveTagsAndTheEndWhenThePublisherLeaves() throws Exception {
        try (SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "key", 25, 200)) {
            publisher.send(30);
            publisher.sync();
            try (Download download = Download.open(http, "/live/key.flv")) {
                assertThat(download.head()).startsWith("HTTP/1.1 200 OK")
                        .containsIgnoringCase("content-type: video/x-flv")
                        .containsIgnoringCase("transfer-encoding: chunked");
                FlvTag metadata = download.tags().next();
                FlvTag videoConfig = download.tags().next();
                FlvTag audioConfig = download.tags().next();
                FlvTag first = download.tags().next();
                assertThat(metadata.type()).isEqualTo(FlvTag.SCRIPT);
                assertThat(videoConfig.isSequenceHeader()).isTrue();
                assertThat(audioConfig.type()).isEqualTo(FlvTag.AUDIO);
                assertThat(audioConfig.body()).containsExactly(Frames.aacSequenceHeader());
                assertThat(first.isVideoKeyframe()).isTrue();
                assertThat(sequence(first)).isEqualTo(25);
                assertThat(first.timestamp()).isEqualTo(25 * 40);

                publisher.send(10);
                publisher.sync();
                List<Integer> videos = new ArrayList<>(List.of(25));
                for (FlvTag tag = download.tags().next(); videos.size() < 15; tag = download.tags().next()) {
                    if (tag.type() == FlvTag.VIDEO) {
                        videos.add(sequence(tag));
                    }
                }
                assertThat(videos).containsExactly(25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39);

                publisher.close();
                FlvTag tag;
                do {
                    tag = download.tags().next();
                } while (tag != null);
            }
        }
    }

    @Test
    void aViewerOfAStreamNotYetPublishedWaitsForThePublisher() throws Exception {
        try (Download download = Download.open(http, "/flv?app=live&stream=later")) {
            assertThat(download.head()).startsWith("HTTP/1.1 200 OK");
            await().atMost(Duration.ofSeconds(5)).until(() -> server.server().registry().streams().stream()
                    .anyMatch(s -> s.key().name().equals("later") && s.subscriberCount() == 1));
            try (SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "later", 25, 100)) {
                publisher.send(3);
                publisher.sync();

                assertThat(download.tags().next().type()).isEqualTo(FlvTag.SCRIPT);
                assertThat(download.tags().next().isSequenceHeader()).isTrue();
            }
        }
    }

    @Test
    void theStreamsApiListsALiveStreamWithItsViewersCodecsAndUrls() throws Exception {
        try (SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "key", 25, 100)) {
            publisher.send(5);
            publisher.sync();
            try (Download download = Download.open(http, "/live/key.flv")) {
                download.tags().next();
                HttpClient client = HttpClient.newHttpClient();
                String json = client.send(java.net.http.HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + http.getPort() + "/api/streams")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).body();

                assertThat(json).matches("\\[\\{\"app\":\"live\",\"name\":\"key\",\"live\":true,\"viewers\":1,"
                        + "\"bitrate\":[0-9]+,\"video\":\"H264\",\"audio\":\"AAC\","
                        + "\"tracks\":\\[\\{\"id\":0,\"kind\":\"video\",\"codec\":\"H264\",\"codecs\":\"\",\"width\":0,"
                        + "\"height\":0},\\{\"id\":0,\"kind\":\"audio\",\"codec\":\"AAC\",\"codecs\":\"mp4a.40.2\"}],"
                        + "\"exec\":\\[\\],\"relays\":\\[\\],"
                        + "\"flv\":\"/live/key.flv\"}]");
            }
        }
    }

    @Test
    void headAnswersWithoutSubscribing() throws Exception {
        try (SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "key", 25, 100)) {
            publisher.send(5);
            publisher.sync();
            HttpClient client = HttpClient.newHttpClient();
            java.net.http.HttpResponse<Void> head = client.send(java.net.http.HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + http.getPort() + "/live/key.flv"))
                    .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());

            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValue("content-type")).hasValue("video/x-flv");
            assertThat(server.server().registry().streams().iterator().next().subscriberCount()).isZero();
        }
    }

    @Test
    void aViewerThatStopsReadingDropsToTheNextKeyframeWithinItsBound() throws Exception {
        try (SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "key", 50, 10_000);
             Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(http);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /live/key.flv HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            LiveStream stream = server.server().registry().find(new StreamKey("live", "key")).orElseThrow();
            await().until(() -> stream.subscriberCount() == 1);
            long dropped = 0;
            long mostQueuedBytes = 0;
            for (int batch = 0; batch < 50 && dropped == 0; batch++) {
                publisher.send(100);
                publisher.sync();
                for (Subscriber viewer : stream.subscribers()) {
                    dropped = Math.max(dropped, viewer.droppedFrames());
                    mostQueuedBytes = Math.max(mostQueuedBytes, viewer.queuedBytes());
                }
            }
            publisher.send(60);
            publisher.sync();

            assertThat(dropped).as("frames the stalled viewer skipped").isPositive();
            assertThat(mostQueuedBytes).isLessThanOrEqualTo(HttpFlvHandler.VIEWER_QUEUE_BYTES);
            InputStream in = socket.getInputStream();
            assertThat(Download.readHead(in)).startsWith("HTTP/1.1 200 OK");
            FlvTagReader tags = new FlvTagReader(new Dechunked(in));
            int previous = -1;
            while (true) {
                FlvTag tag = tags.next();
                if (tag.type() != FlvTag.VIDEO || tag.isSequenceHeader()) {
                    continue;
                }
                int sequence = sequence(tag);
                if (previous >= 0 && sequence != previous + 1) {
                    assertThat(tag.isVideoKeyframe()).as("the first frame after a gap, %d", sequence).isTrue();
                    assertThat(sequence % 50).isZero();
                    break;
                }
                previous = sequence;
            }
        }
    }

    @Test
    void theViewerLeavingUnsubscribesIt() throws Exception {
        try (SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "key", 25, 100)) {
            publisher.send(5);
            publisher.sync();
            Download download = Download.open(http, "/live/key.flv");
            download.tags().next();
            await().until(() -> server.server().registry().streams().iterator().next().subscriberCount() == 1);

            download.close();

            await().atMost(Duration.ofSeconds(5))
                    .until(() -> server.server().registry().streams().iterator().next().subscriberCount() == 0);
        }
    }

    @Test
    void webSocketFlvCarriesTheSameTagsInBinaryMessages() throws Exception {
        try (SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "key", 25, 200)) {
            publisher.send(30);
            publisher.sync();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            CompletableFuture<Void> enough = new CompletableFuture<>();
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + http.getPort() + "/live/key.flv"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                            byte[] bytes = new byte[data.remaining()];
                            data.get(bytes);
                            synchronized (received) {
                                received.writeBytes(bytes);
                                if (received.size() > 1000) {
                                    enough.complete(null);
                                }
                            }
                            webSocket.request(1);
                            return null;
                        }
                    }).get(5, TimeUnit.SECONDS);
            enough.get(5, TimeUnit.SECONDS);
            socket.abort();

            byte[] bytes;
            synchronized (received) {
                bytes = received.toByteArray();
            }
            assertThat(new String(bytes, 0, 3, StandardCharsets.US_ASCII)).isEqualTo("FLV");
            FlvTagReader reader = new FlvTagReader(new ByteArrayInputStream(bytes));
            assertThat(reader.next().type()).isEqualTo(FlvTag.SCRIPT);
            assertThat(reader.next().isSequenceHeader()).isTrue();
            assertThat(reader.next().body()).containsExactly(Frames.aacSequenceHeader());
            FlvTag first = reader.next();
            assertThat(first.isVideoKeyframe()).isTrue();
            assertThat(sequence(first)).isEqualTo(25);
        }
    }

    private String get(String path) throws Exception {
        return HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + http.getPort() + path)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The stat JSON's clients of protocol "http-flv" of server block {@code server}'s stream {@code name}. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> viewers(Map<String, Object> stat, int server, String name) {
        List<Map<String, Object>> found = new ArrayList<>();
        Map<String, Object> block = ((List<Map<String, Object>>) stat.get("servers")).get(server);
        for (Map<String, Object> app : (List<Map<String, Object>>) block.get("applications")) {
            for (Map<String, Object> stream : (List<Map<String, Object>>) app.get("streams")) {
                if (stream.get("name").equals(name)) {
                    for (Map<String, Object> client : (List<Map<String, Object>>) stream.get("clients")) {
                        if (client.get("protocol").equals("http-flv")) {
                            found.add(client);
                        }
                    }
                }
            }
        }
        return found;
    }

    private long metric(String name) throws Exception {
        Matcher matcher = Pattern.compile("(?m)^" + name + " (\\d+)$").matcher(get("/metrics"));
        assertThat(matcher.find()).as(name).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    @Test
    void anHttpFlvViewersBytesOutAreWhatItReadInStatAndInTheServerTotals() throws Exception {
        try (SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "key", 25, 200)) {
            publisher.send(30);
            publisher.sync();
            try (Download download = Download.open(http, "/live/key.flv")) {
                FlvTag tag;
                do {
                    tag = download.tags().next();
                } while (tag.type() != FlvTag.VIDEO || tag.isSequenceHeader() || sequence(tag) != 29);
                assertThat(download.tags().next().type()).isEqualTo(FlvTag.AUDIO);
                long read = download.bytesRead();

                Map<String, Object> stat = JSON.std.mapFrom(get("/stat?format=json"));
                List<Map<String, Object>> viewers = viewers(stat, 0, "key");
                assertThat(viewers).hasSize(1);
                long bytesOut = ((Number) viewers.getFirst().get("bytes_out")).longValue();
                assertThat(bytesOut).isBetween(read, read + 64);
                assertThat(((Number) viewers.getFirst().get("bytes_in")).longValue()).isPositive();
                assertThat(((Number) stat.get("bytes_out")).longValue()).isGreaterThanOrEqualTo(bytesOut);
                assertThat(metric("onair_bytes_out_total")).isGreaterThanOrEqualTo(bytesOut);
            }
        }
    }

    @Test
    void aWebSocketFlvViewersBytesOutCoverWhatItReceivedInStatAndInTheServerTotals() throws Exception {
        try (SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "key", 25, 200)) {
            publisher.send(30);
            publisher.sync();
            long[] received = new long[1];
            CompletableFuture<Void> enough = new CompletableFuture<>();
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + http.getPort() + "/live/key.flv"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                            synchronized (received) {
                                received[0] += data.remaining();
                                if (received[0] > 1000) {
                                    enough.complete(null);
                                }
                            }
                            webSocket.request(1);
                            return null;
                        }
                    }).get(5, TimeUnit.SECONDS);
            enough.get(5, TimeUnit.SECONDS);
            long payload;
            synchronized (received) {
                payload = received[0];
            }

            Map<String, Object> stat = JSON.std.mapFrom(get("/stat?format=json"));
            List<Map<String, Object>> viewers = viewers(stat, 0, "key");
            assertThat(viewers).hasSize(1);
            long bytesOut = ((Number) viewers.getFirst().get("bytes_out")).longValue();
            assertThat(bytesOut).isGreaterThan(payload);
            assertThat(metric("onair_bytes_out_total")).isGreaterThanOrEqualTo(bytesOut);
            socket.abort();
        }
    }

    @Test
    void aViewerIsAClientOfTheServerBlockWhoseApplicationItPlays(@TempDir Path dir) throws Exception {
        server.close();
        Path first = dir.resolve("first.log");
        Path second = dir.resolve("second.log");
        server = TestServer.start("rtmp { server { listen 127.0.0.1:0; access_log " + first + "; "
                + "application other { live on; } } "
                + "server { listen 127.0.0.1:0; access_log " + second + "; application live { live on; } } }\n"
                + "http { server { listen 127.0.0.1:0; location /live { flv_live on; } "
                + "location /stat { rtmp_stat all; } } }");
        http = server.server().httpAddresses().getFirst();
        try (SyntheticPublisher publisher = new SyntheticPublisher(server.address(1), "live", "key", 25, 200)) {
            publisher.send(5);
            publisher.sync();
            try (Download download = Download.open(http, "/live/key.flv")) {
                download.tags().next();
                assertThat(viewers(JSON.std.mapFrom(get("/stat?format=json")), 1, "key")).hasSize(1);
            }
        }
        await().atMost(Duration.ofSeconds(5))
                .until(() -> Files.exists(second) && Files.readAllLines(second).size() == 2);
        assertThat(Files.readAllLines(second)).anySatisfy(line -> assertThat(line).contains("PLAY \"live\" \"key\""));
        assertThat(first).doesNotExist();
    }
}
