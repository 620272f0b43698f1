package onair.it;

import com.sun.net.httpserver.HttpServer;
import onair.config.ConfigCheck;
import onair.testing.TestHostNames;
import onair.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The snippets issue 14 names, as nginx-rtmp users copy them, in one file: {@code onair -t} accepts it unchanged, and
 * the server started from it (ports and directories made local to the test) serves them: the callback at a
 * docker-compose host name decides the publish, DASH is written and read by ffprobe, the CORS preflight is answered,
 * the regular-expression location serves playlists, and {@code error_page} answers a 503 with its page.
 */
class NginxSnippetsIT {

    private static final Duration RUN = Duration.ofSeconds(60);

    static final String SNIPPETS = """
        rtmp_auto_push on;
        rtmp {
            server {
                listen 1935;
                chunk_size 4000;
                application live {
                    live on;
                    on_publish http://rtmp_notify:3000/p;
                    dash on;
                    dash_path /tmp/dash;
                    dash_fragment 3s;
                }
            }
        }
        http {
            server {
                listen 8080;
                error_page 500 502 503 504 /50x.html;
                location = /50x.html {
                    root /tmp/www;
                }
                location /dash {
                    root /tmp;
                    add_header 'Access-Control-Allow-Origin' '*' always;
                    if ($request_method = 'OPTIONS') {
                        add_header 'Access-Control-Allow-Origin' '*';
                        add_header 'Access-Control-Max-Age' 1728000;
                        add_header 'Content-Type' 'text/plain charset=UTF-8';
                        add_header 'Content-Length' 0;
                        return 204;
                    }
                }
                location ~* \\.(m3u8|ts)$ {
                    root /tmp/hls;
                    add_header Cache-Control no-cache;
                }
                location /maintenance {
                    return 503;
                }
            }
        }
        """;

    @TempDir
    Path dir;

    @Test
    void onairDashTAcceptsTheSnippetsUnchanged() throws Exception {
        Path file = Files.writeString(dir.resolve("nginx.conf"), SNIPPETS);

        ConfigCheck check = ConfigCheck.of(file);

        assertThat(check.exitCode()).as(String.join("\n", check.lines())).isZero();
        assertThat(check.lines()).contains("onair: configuration file " + file + " test is successful");
    }

    @Test
    void theServerStartedFromTheSnippetsServesThem() throws Exception {
        BlockingQueue<String> calls = new LinkedBlockingQueue<>();
        HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.createContext("/", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                calls.add(exchange.getRequestURI().getPath() + "?" + new String(in.readAllBytes(), StandardCharsets.UTF_8));
                exchange.sendResponseHeaders(200, -1);
            }
        });
        backend.start();
        Files.createDirectories(dir.resolve("www"));
        Files.writeString(dir.resolve("www/50x.html"), "back soon");
        Files.createDirectories(dir.resolve("hls/live"));
        Files.writeString(dir.resolve("hls/live/cam.m3u8"), "#EXTM3U\n");
        String local = SNIPPETS.replace("listen 1935;", "listen 127.0.0.1:0;")
            .replace("listen 8080;", "listen 127.0.0.1:0;")
            .replace("rtmp_notify:3000", TestHostNames.LOOPBACK_NAME + ":" + backend.getAddress().getPort())
            .replace("/tmp", dir.toString());
        HttpClient http = HttpClient.newHttpClient();
        try (TestServer server = TestServer.start(local);
             FfmpegPublisher publisher = FfmpegPublisher.builder(TestMedia.h264Aac360p(), server.url("live", "cam"))
                 .loop().start()) {
            String base = "http://127.0.0.1:" + server.server().httpAddresses().getFirst().getPort();

            assertThat(calls.poll(RUN.toSeconds(), TimeUnit.SECONDS)).startsWith("/p?").contains("call=publish")
                .contains("name=cam");
            await().atMost(RUN).until(() -> Files.isRegularFile(dir.resolve("dash/cam.mpd")));
            String streams = Ffmpeg.probe("snippets-dash", RUN, "-show_entries", "stream=codec_name",
                "-of", "csv=p=0", base + "/dash/cam.mpd");
            assertThat(streams.lines()).contains("h264", "aac");

            HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(URI.create(base + "/dash/cam.mpd"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(preflight.statusCode()).isEqualTo(204);
            assertThat(preflight.headers().firstValue("Access-Control-Max-Age")).hasValue("1728000");

            HttpResponse<String> playlist = http.send(HttpRequest.newBuilder(URI.create(base + "/live/cam.m3u8"))
                .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(playlist.statusCode()).isEqualTo(200);
            assertThat(playlist.body()).isEqualTo("#EXTM3U\n");
            assertThat(playlist.headers().firstValue("Cache-Control")).hasValue("no-cache");

            HttpResponse<String> down = http.send(HttpRequest.newBuilder(URI.create(base + "/maintenance")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).isEqualTo("back soon");
        } finally {
            backend.stop(0);
        }
    }
}
