package onair.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import onair.testing.LogCapture;
import onair.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

class HttpServerTest {

    @TempDir
    static Path dir;

    private static TestServer server;
    private static InetSocketAddress http;

    @BeforeAll
    static void start() throws Exception {
        Path www = Files.createDirectories(dir.resolve("www"));
        Files.createDirectories(www.resolve("hls/sub"));
        Files.writeString(www.resolve("hls/a.m3u8"), "#EXTM3U\n");
        Files.write(www.resolve("hls/a0.ts"), bytes(1000));
        Files.writeString(www.resolve("hls/sub/b.txt"), "b");
        Files.writeString(www.resolve("hls/noext"), "n");
        Files.writeString(dir.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(www.resolve("hls/escape.txt"), dir.resolve("secret.txt"));
        Files.createDirectories(dir.resolve("aliased"));
        Files.writeString(dir.resolve("aliased/c.txt"), "c");
        server = TestServer.start("""
                rtmp { server { listen 127.0.0.1:0; application live { live on; }
                                application quiet { live on; idle_streams off; } } }
                http { server { listen 127.0.0.1:0;
                    location / { }
                    location /hls { root %1$s; }
                    location /cached { alias %1$s/hls; add_header Cache-Control private; add_header X-Always 1 always; }
                    location /files/ { alias %2$s/; }
                    location /live { flv_live on; }
                    location /quiet { flv_live on; }
                    location /stat { rtmp_stat all; }
                    location /private { deny 127.0.0.1; root %1$s; }
                    location /empty/ { add_header X-A 1; }
                } }
                """.formatted(www, dir.resolve("aliased")));
        http = server.server().httpAddresses().getFirst();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    @Test
    void aFileUnderRootIsServedWithTypeLengthValidatorsAndSegmentCaching() throws Exception {
        RawHttp.Response response = RawHttp.get(http, "/hls/a0.ts");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(bytes(1000));
        assertThat(response.header("Content-Type")).isEqualTo("video/mp2t");
        assertThat(response.header("Content-Length")).isEqualTo("1000");
        assertThat(response.header("Cache-Control")).isEqualTo(StaticFiles.SEGMENT_CACHE_CONTROL);
        assertThat(response.header("ETag")).matches("\"[0-9a-f]+-3e8\"");
        assertThat(response.header("Last-Modified")).endsWith("GMT");
        assertThat(response.header("Accept-Ranges")).isEqualTo("bytes");
    }

    @Test
    void aPlaylistIsNotCachedAndAddHeaderOverridesTheDefault() throws Exception {
        RawHttp.Response playlist = RawHttp.get(http, "/hls/a.m3u8");
        RawHttp.Response aliased = RawHttp.get(http, "/cached/a.m3u8");

        assertThat(playlist.header("Content-Type")).isEqualTo("application/vnd.apple.mpegurl");
        assertThat(playlist.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(playlist.text()).isEqualTo("#EXTM3U\n");
        assertThat(aliased.header("Cache-Control")).isEqualTo("private");
        assertThat(aliased.header("X-Always")).isEqualTo("1");
        assertThat(RawHttp.get(http, "/cached/nothing").header("X-Always")).isEqualTo("1");
        assertThat(RawHttp.get(http, "/cached/nothing").header("Cache-Control")).isNull();
    }

    @Test
    void aliasReplacesTheLocationPath() throws Exception {
        assertThat(RawHttp.get(http, "/files/c.txt").text()).isEqualTo("c");
        assertThat(RawHttp.get(http, "/cached/sub/b.txt").text()).isEqualTo("b");
        assertThat(RawHttp.get(http, "/hls/noext").header("Content-Type")).isEqualTo("application/octet-stream");
    }

    @Test
    void headSendsTheHeadersWithoutTheBody() throws Exception {
        RawHttp.Response response = RawHttp.request(http, "HEAD /hls/a0.ts HTTP/1.1\r\nHost: t\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Length")).isEqualTo("1000");
        assertThat(response.body()).isEmpty();
    }

    @ParameterizedTest(name = "Range {0} → {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            bytes=0-9       | 206 | bytes 0-9/1000     | 10
            bytes=990-      | 206 | bytes 990-999/1000 | 10
            bytes=-5        | 206 | bytes 995-999/1000 | 5
            bytes=995-2000  | 206 | bytes 995-999/1000 | 5
            bytes=1000-     | 416 | bytes */1000       | 0
            bytes=5-1       | 200 |                    | 1000
            bytes=0-1,5-6   | 200 |                    | 1000
            """)
    void singleByteRangesArePartialContent(String range, int status, String contentRange, int length) throws Exception {
        RawHttp.Response response = RawHttp.get(http, "/hls/a0.ts", "Range: " + range);

        assertThat(response.status()).isEqualTo(status);
        assertThat(response.header("Content-Range")).isEqualTo(contentRange);
        assertThat(response.body()).hasSize(length);
        if (status == 206) {
            int start = Integer.parseInt(contentRange.substring(6, contentRange.indexOf('-')));
            assertThat(response.body()[0]).isEqualTo((byte) start);
        }
    }

    @Test
    void validatorsThatStillMatchGet304() throws Exception {
        RawHttp.Response first = RawHttp.get(http, "/hls/a0.ts");

        RawHttp.Response byTag = RawHttp.get(http, "/hls/a0.ts", "If-None-Match: " + first.header("ETag"));
        RawHttp.Response byDate = RawHttp.get(http, "/hls/a0.ts", "If-Modified-Since: " + first.header("Last-Modified"));
        RawHttp.Response otherTag = RawHttp.get(http, "/hls/a0.ts", "If-None-Match: \"other\"");

        assertThat(byTag.status()).isEqualTo(304);
        assertThat(byTag.body()).isEmpty();
        assertThat(byDate.status()).isEqualTo(304);
        assertThat(otherTag.status()).isEqualTo(200);
    }

    @Test
    void aConnectionIsKeptAliveAcrossRequests() throws Exception {
        try (RawHttp connection = new RawHttp(http)) {
            connection.send("GET /hls/a.m3u8 HTTP/1.1\r\nHost: t\r\n\r\n");
            RawHttp.Response first = connection.read(true);
            connection.send("GET /hls/sub/b.txt HTTP/1.1\r\nHost: t\r\n\r\n");
            RawHttp.Response second = connection.read(true);
            connection.send("GET /nothing-here HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
            RawHttp.Response third = connection.read(true);

            assertThat(first.status()).isEqualTo(200);
            assertThat(second.text()).isEqualTo("b");
            assertThat(third.status()).isEqualTo(404);
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            GET /hls/../secret.txt HTTP/1.1                  | 400
            GET /hls/%2e%2e/secret.txt HTTP/1.1              | 400
            GET /hls/..%2fsecret.txt HTTP/1.1                | 400
            GET /hls%2f..%2f..%2fsecret.txt HTTP/1.1         | 400
            GET /hls/..%5csecret.txt HTTP/1.1                | 400
            GET /hls/a%00.ts HTTP/1.1                        | 400
            GET /hls/a%0d%0a.ts HTTP/1.1                     | 400
            GET /hls/%zz HTTP/1.1                            | 400
            GET /hls/%c0%ae%c0%ae/secret.txt HTTP/1.1        | 400
            GET /files..//secret.txt HTTP/1.1                | 404
            GET /files/..%2f..%2fsecret.txt HTTP/1.1         | 400
            GET hls/a.m3u8 HTTP/1.1                          | 400
            GET http://t/hls/a.m3u8 HTTP/1.1                 | 400
            GET /hls/escape.txt HTTP/1.1                     | 403
            GET /hls/sub HTTP/1.1                            | 403
            GET /hls/missing.ts HTTP/1.1                     | 404
            GET /private/hls/a.m3u8 HTTP/1.1                 | 403
            GET /empty/x HTTP/1.1                            | 404
            POST /hls/a.m3u8 HTTP/1.1                        | 405
            DELETE /hls/a.m3u8 HTTP/1.1                      | 405
            GET /hls/a.m3u8 HTTP/2.0                         | 505
            GET /live/ HTTP/1.1                              | 404
            GET /live/a/b.flv HTTP/1.1                       | 404
            GET /quiet/nobody.flv HTTP/1.1                   | 404
            GET /live?app=nowhere&stream=x HTTP/1.1          | 404
            GET /api/nothing HTTP/1.1                        | 404
            """)
    void badRequestsAreRefusedAndNothingOutsideTheRootsIsServed(String requestLine, int status) throws Exception {
        try (LogCapture log = new LogCapture(HttpRequestHandler.class)) {
            RawHttp.Response response = RawHttp.request(http, requestLine + "\r\nHost: t\r\n\r\n");

            assertThat(response.status()).isEqualTo(status);
            assertThat(response.text()).doesNotContain("secret");
            await().atMost(Duration.ofSeconds(5)).until(() -> !log.lines(" " + status + " ").isEmpty());
            assertThat(log.lines(" " + status + " ").getFirst()).contains("127.0.0.1");
        }
    }

    @Test
    void aStatisticsLocationAnswersNginxRtmpsXml() throws Exception {
        RawHttp.Response response = RawHttp.get(http, "/stat");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).startsWith("<?xml version=\"1.0\" encoding=\"utf-8\" ?>").contains("<rtmp>");
    }

    @Test
    void anOversizeRequestLineIs414AndOversizeHeadersAre431() throws Exception {
        RawHttp.Response longUri = RawHttp.request(http, "GET /" + "a".repeat(5000) + " HTTP/1.1\r\nHost: t\r\n\r\n");
        RawHttp.Response bigHeaders = RawHttp.request(http,
                "GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + "b".repeat(9000) + "\r\n\r\n");

        assertThat(longUri.status()).isEqualTo(414);
        assertThat(bigHeaders.status()).isEqualTo(431);
    }

    @Test
    void aRequestWithABodyIsRefusedAndTheConnectionClosed() throws Exception {
        try (RawHttp connection = new RawHttp(http)) {
            connection.send("GET /hls/a.m3u8 HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello");

            assertThat(connection.read(true).status()).isEqualTo(413);
            assertThat(connection.closedByServer()).isTrue();
        }
    }

    @Test
    void theBuiltInPageAndTheStreamsApiAreServedAtSlash() throws Exception {
        RawHttp.Response page = RawHttp.get(http, "/");
        RawHttp.Response script = RawHttp.get(http, "/vendor/mpegts.js");
        RawHttp.Response streams = RawHttp.get(http, "/api/streams");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.text()).contains("<video", "/vendor/mpegts.js", "/vendor/hls.min.js");
        assertThat(script.body().length).isGreaterThan(100_000);
        assertThat(RawHttp.get(http, "/", "If-None-Match: " + page.header("ETag")).status()).isEqualTo(304);
        assertThat(streams.header("Content-Type")).isEqualTo("application/json");
        assertThat(streams.text()).isEqualTo("[]");
    }

    @Test
    void theBuiltInPageServesDashJsAndTheTimeThatDashManifestsAnnounce() throws Exception {
        RawHttp.Response page = RawHttp.get(http, "/");
        RawHttp.Response script = RawHttp.get(http, "/vendor/dash.all.min.js");
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        RawHttp.Response time = RawHttp.get(http, "/api/time");
        Instant after = Instant.now();

        assertThat(page.text()).contains("/vendor/dash.all.min.js");
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.body().length).isGreaterThan(100_000);
        assertThat(time.status()).isEqualTo(200);
        assertThat(time.header("Cache-Control")).isEqualTo("no-store");
        assertThat(Instant.parse(time.text())).isBetween(before, after);
    }
}
