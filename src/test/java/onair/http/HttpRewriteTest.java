package onair.http;

import static org.assertj.core.api.Assertions.assertThat;

import onair.config.ConfigCheck;
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
 * The nginx http{} subset that HLS and HTTP-FLV configurations copy, over a real socket: the CORS preflight
 * {@code if ($request_method = 'OPTIONS') { add_header …; return 204; }}, {@code return}, {@code error_page},
 * {@code map}, regular-expression, {@code ^~}, {@code =} and nested locations, each answering as nginx does.
 */
class HttpRewriteTest {

    /** The HLS location of nginx-rtmp's README, unchanged but for its root. */
    static final String CORS_LOCATION = """
                    location /hls {
                        # Disable cache
                        add_header 'Cache-Control' 'no-cache';

                        # CORS setup
                        add_header 'Access-Control-Allow-Origin' '*' always;
                        add_header 'Access-Control-Expose-Headers' 'Content-Length';

                        # allow CORS preflight requests
                        if ($request_method = 'OPTIONS') {
                            add_header 'Access-Control-Allow-Origin' '*';
                            add_header 'Access-Control-Max-Age' 1728000;
                            add_header 'Content-Type' 'text/plain charset=UTF-8';
                            add_header 'Content-Length' 0;
                            return 204;
                        }

                        types {
                            application/dash+xml mpd;
                            application/vnd.apple.mpegurl m3u8;
                            video/mp2t ts;
                        }

                        root %s;
                    }
            """;

    @TempDir
    static Path dir;

    private static TestServer server;
    private static InetSocketAddress http;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(dir.resolve("hls"));
        Files.writeString(dir.resolve("hls/a.m3u8"), "#EXTM3U\n");
        Files.writeString(dir.resolve("hls/a0.ts"), "ts");
        Files.writeString(dir.resolve("50x.html"), "sorry");
        Files.writeString(dir.resolve("404.html"), "not here");
        Files.createDirectories(dir.resolve("static"));
        Files.writeString(dir.resolve("static/a.m3u8"), "static");
        server = TestServer.start("""
                rtmp { server { listen 127.0.0.1:0; application live { live on; } } }
                http {
                    map $http_origin $cors_origin {
                        default "";
                        ~^https://(www\\.)?example\\.com$ $http_origin;
                    }
                    server {
                        listen 127.0.0.1:0;
                        if ($arg_moved) { return 301 https://elsewhere.example/; }
                %s
                        location /text { return 200 "method $request_method for $arg_who\\n"; }
                        location /gone { return 410; }
                        location /redirect { return https://example.org$request_uri; }
                        location /origin { add_header Access-Control-Allow-Origin $cors_origin; return 204; }
                        location /broken { error_page 404 /404.html; root %s/none; }
                        location /redirected { error_page 404 =302 https://example.org/missing; root %s/none; }
                        location = /404.html { root %s; }
                        location ~* \\.M3U8$ { add_header X-Matched regex; root %s; }
                        location ^~ /static/ { add_header X-Matched prefix-stop; root %s; }
                        location /nested/ {
                            add_header X-Matched nested-prefix;
                            location ~ \\.flv$ { return 200 "nested regex"; }
                            location /nested/deeper/ { return 200 "nested prefix"; }
                        }
                        location /conditions {
                            if ($http_x_token != 'secret') { return 403; }
                            if ($arg_mode = raw) { return 200 "raw"; }
                            if (!-f %s/nothing-here) { return 200 "no such file"; }
                        }
                        location /file-test {
                            if (-f %s/50x.html) { return 200 "exists"; }
                            return 200 "missing";
                        }
                    }
                }
                """.formatted(CORS_LOCATION.formatted(dir), dir, dir, dir, dir, dir, dir, dir));
        http = server.server().httpAddresses().getFirst();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theCorsPreflightOfNginxRtmpsReadmeIs204WithItsHeaders() throws Exception {
        RawHttp.Response response = RawHttp.request(http, "OPTIONS /hls/a0.ts HTTP/1.1\r\nHost: t\r\n"
                + "Origin: https://player.example\r\nAccess-Control-Request-Method: GET\r\n\r\n");

        assertThat(response.status()).isEqualTo(204);
        assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(response.header("Access-Control-Max-Age")).isEqualTo("1728000");
        assertThat(response.header("Content-Type")).isEqualTo("text/plain charset=UTF-8");
        assertThat(response.header("Cache-Control")).as("the if block's add_header lines replace the location's")
                .isNull();
    }

    @Test
    void aGetOfTheCorsLocationGetsTheLocationsHeadersAndTheFile() throws Exception {
        RawHttp.Response response = RawHttp.get(http, "/hls/a0.ts");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).isEqualTo("ts");
        assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(response.header("Access-Control-Expose-Headers")).isEqualTo("Content-Length");
        assertThat(response.header("Cache-Control")).isEqualTo("no-cache");
    }

    @Test
    void aMethodOtherThanGetOrHeadThatNoRuleAnswersIsStill405() throws Exception {
        assertThat(RawHttp.request(http, "DELETE /hls/a0.ts HTTP/1.1\r\nHost: t\r\n\r\n").status()).isEqualTo(405);
    }

    @Test
    void returnAnswersWithItsCodeAndTextWithVariablesOrTheStatusAlone() throws Exception {
        RawHttp.Response text = RawHttp.get(http, "/text?who=ann");
        assertThat(text.status()).isEqualTo(200);
        assertThat(text.text()).isEqualTo("method GET for ann\n");

        RawHttp.Response gone = RawHttp.get(http, "/gone");
        assertThat(gone.status()).isEqualTo(410);

        RawHttp.Response redirect = RawHttp.get(http, "/redirect/x?y=1");
        assertThat(redirect.status()).isEqualTo(302);
        assertThat(redirect.header("Location")).isEqualTo("https://example.org/redirect/x?y=1");
    }

    @Test
    void aServerLevelIfRunsBeforeAnyLocation() throws Exception {
        RawHttp.Response response = RawHttp.get(http, "/hls/a0.ts?moved=1");

        assertThat(response.status()).isEqualTo(301);
        assertThat(response.header("Location")).isEqualTo("https://elsewhere.example/");
    }

    @ParameterizedTest(name = "Origin {0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            https://example.com     | https://example.com
            https://www.example.com | https://www.example.com
            https://evil.example    |
            """)
    void aMapVariableInAddHeaderTakesTheValueOfTheMatchingKeyAndAnEmptyValueAddsNoHeader(String origin, String allowed)
            throws Exception {
        RawHttp.Response response = RawHttp.get(http, "/origin", "Origin: " + origin);

        assertThat(response.status()).isEqualTo(204);
        assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo(allowed);
    }

    @Test
    void errorPageAnswersAMissingFileWithTheErrorPageAndTheOriginalStatus() throws Exception {
        RawHttp.Response response = RawHttp.get(http, "/broken/x.ts");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.text()).isEqualTo("not here");
    }

    @Test
    void errorPageWithAnEqualsCodeAndAUrlRedirects() throws Exception {
        RawHttp.Response response = RawHttp.get(http, "/redirected/x.ts");

        assertThat(response.status()).isEqualTo(302);
        assertThat(response.header("Location")).isEqualTo("https://example.org/missing");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /hls/a.m3u8              | regex
            /static/a.m3u8           | prefix-stop
            """)
    void locationsAreChosenInNginxsOrder(String path, String matched) throws Exception {
        RawHttp.Response response = RawHttp.get(http, path);

        assertThat(response.header("X-Matched")).isEqualTo(matched);
    }

    @Test
    void nestedLocationsAnswerInsideTheirParent() throws Exception {
        assertThat(RawHttp.get(http, "/nested/a.flv").text()).isEqualTo("nested regex");
        assertThat(RawHttp.get(http, "/nested/deeper/x").text()).isEqualTo("nested prefix");
        assertThat(RawHttp.get(http, "/nested/other").status()).isEqualTo(404);
    }

    @Test
    void ifTestsHeadersWithNotEqualsArgumentsWithEqualsAndAMissingFileWithNotDashF() throws Exception {
        assertThat(RawHttp.get(http, "/conditions?mode=raw").status()).isEqualTo(403);
        assertThat(RawHttp.get(http, "/conditions?mode=raw", "X-Token: secret").text()).isEqualTo("raw");
        assertThat(RawHttp.get(http, "/conditions?mode=other", "X-Token: secret").text()).isEqualTo("no such file");
    }

    @Test
    void ifDashFTestsWhetherTheFileExists() throws Exception {
        assertThat(RawHttp.get(http, "/file-test").text()).isEqualTo("exists");
    }

    @Test
    void onairDashTAcceptsTheReadmesCorsSnippetAndTheIssuesSnippetsUnchanged() throws Exception {
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, """
                rtmp {
                    server {
                        listen 1935;
                        application live {
                            live on;
                            on_publish http://rtmp_notify:3000/p;
                        }
                    }
                }
                http {
                    server {
                        listen 8080;
                        error_page 500 502 503 504 /50x.html;
                        location = /50x.html { root html; }
                        location ~* \\.(m3u8|ts)$ {
                            root /tmp/hls;
                            add_header Cache-Control no-cache;
                        }
                %s
                    }
                }
                """.formatted(CORS_LOCATION.formatted("/tmp/")));

        ConfigCheck check = ConfigCheck.of(conf);

        assertThat(check.exitCode()).as(String.join("\n", check.lines())).isZero();
        assertThat(check.lines()).last().asString().endsWith("test is successful");
    }
}
