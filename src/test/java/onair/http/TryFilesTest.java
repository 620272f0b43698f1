package onair.http;

import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * nginx's {@code try_files} and named locations over a real socket: the first existing entry is served, a directory
 * entry serves its index, and the last argument answers otherwise (a URI redirected to internally, {@code =CODE} with
 * its {@code error_page}, a named location); {@code error_page} reaches named locations too, a server's own
 * {@code try_files} answers requests no location matches, and a redirect cycle ends in 500 as in nginx.
 */
class TryFilesTest {

    @TempDir
    static Path dir;

    private static TestServer server;
    private static InetSocketAddress http;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(dir.resolve("site/docs"));
        Files.writeString(dir.resolve("site/index.html"), "app shell");
        Files.writeString(dir.resolve("site/player.js"), "js");
        Files.writeString(dir.resolve("site/docs/index.html"), "docs index");
        Files.writeString(dir.resolve("site/404.html"), "custom 404");
        Files.createDirectories(dir.resolve("other"));
        Files.writeString(dir.resolve("other/fallback.txt"), "server fallback");
        server = TestServer.start("""
                rtmp { server { listen 127.0.0.1:0; application live { live on; } } }
                http {
                    server {
                        listen 127.0.0.1:0;
                        root %1$s/other;
                        try_files $uri /fallback.txt;
                        location /app/ {
                            alias %1$s/site/;
                            try_files $uri $uri/ /app/index.html;
                        }
                        location /strict/ {
                            root %1$s/site;
                            error_page 404 /app/404.html;
                            try_files $uri =404;
                        }
                        location /named/ {
                            root %1$s/site;
                            try_files $uri @backend;
                        }
                        location /missing/ {
                            root %1$s/none;
                            error_page 404 = @backend;
                        }
                        location @backend {
                            add_header X-Backend yes;
                            return 200 "backend for $uri";
                        }
                        location /loop/ {
                            try_files $uri /loop/again;
                        }
                    }
                }
                """.formatted(dir));
        http = server.server().httpAddresses().getFirst();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest(name = "{0} → {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            /app/player.js       | 200 | js
            /app/docs/           | 200 | docs index
            /app/deep/link/route | 200 | app shell
            /app/                | 200 | app shell
            /nowhere/at/all      | 200 | server fallback
            /fallback.txt        | 200 | server fallback
            """)
    void theFirstExistingEntryIsServedElseTheLastArgument(String path, int status, String body) throws Exception {
        RawHttp.Response response = RawHttp.get(http, path);

        assertThat(response.status()).isEqualTo(status);
        assertThat(response.text()).isEqualTo(body);
    }

    @Test
    void anEqualsCodeAnswersWithThatCodeAndItsErrorPage() throws Exception {
        RawHttp.Response response = RawHttp.get(http, "/strict/nothing.ts");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.text()).isEqualTo("custom 404");
    }

    @Test
    void aNamedLocationAnswersWhatTryFilesDoesNotFindWithTheOriginalUri() throws Exception {
        RawHttp.Response response = RawHttp.get(http, "/named/api/streams");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).isEqualTo("backend for /named/api/streams");
        assertThat(response.header("X-Backend")).isEqualTo("yes");
    }

    @Test
    void anErrorPageReachesANamedLocation() throws Exception {
        RawHttp.Response response = RawHttp.get(http, "/missing/x.m3u8");

        assertThat(response.status()).as("error_page 404 = takes the named location's status").isEqualTo(200);
        assertThat(response.text()).isEqualTo("backend for /missing/x.m3u8");
    }

    @Test
    void aNamedLocationIsNotReachableByItsPath() throws Exception {
        assertThat(RawHttp.get(http, "/@backend").text()).isEqualTo("server fallback");
    }

    @Test
    void aRedirectCycleEndsIn500() throws Exception {
        assertThat(RawHttp.get(http, "/loop/x").status()).isEqualTo(500);
    }
}
