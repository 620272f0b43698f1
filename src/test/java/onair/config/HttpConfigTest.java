package onair.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpConfigTest {

    private static final String RTMP = "rtmp { server { listen 1935; } }\n";

    private static ServerConfig parse(String http) {
        return ServerConfig.parse(RTMP + http, "t.conf");
    }

    private static HttpServerConfig server(String serverBody) {
        return parse("http { server { listen 8080;\n" + serverBody + "\n} }").httpServers().getFirst();
    }

    private static HttpLocation location(String serverBody, String path) {
        return server(serverBody).location(path).orElseThrow();
    }

    private static void assertRejected(String http, String message) {
        assertThatThrownBy(() -> parse(http)).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void theBuiltInConfigurationServesThePageFlvHlsAndStatisticsOn8080() {
        HttpServerConfig http = ServerConfig.defaults().httpServers().getFirst();

        assertThat(http.listens()).containsExactly(new Listen(null, 8080));
        assertThat(http.location("/").orElseThrow().contentFree()).isTrue();
        assertThat(http.location("/live/key.flv").orElseThrow().flvLive()).isTrue();
        HttpLocation hls = http.location("/hls/key.m3u8").orElseThrow();
        assertThat(hls.root()).isEqualTo(ServerConfig.DEFAULT_MEDIA_DIR);
        assertThat(hls.contentType("key.m3u8")).isEqualTo("application/vnd.apple.mpegurl");
        assertThat(hls.headers()).contains(new HttpLocation.Header("Cache-Control", "no-cache", false));
        assertThat(http.location("/stat").orElseThrow().rtmpStat()).containsExactly("all");
        assertThat(ServerConfig.defaults().ignored()).isEmpty();
    }

    @Test
    void http2IsOnForAListenWithTheParameterOrEveryListenOfAServerWithHttp2On() {
        ServerConfig config = parse("""
                http {
                    server { listen 8080; listen 8081 http2; }
                    server { http2 on; listen 9080; listen 9081; }
                }
                """);

        assertThat(config.httpServers().getFirst().listens())
                .containsExactly(new Listen(null, 8080, false, false), new Listen(null, 8081, false, true));
        assertThat(config.httpServers().get(1).listens())
                .containsExactly(new Listen(null, 9080, false, true), new Listen(null, 9081, false, true));
    }

    @Test
    void withoutAnHttpSectionThereIsNoHttpServer() {
        assertThat(ServerConfig.parse(RTMP, "t.conf").httpServers()).isEmpty();
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /                 | /
            /index.html       | /
            /live             | /live
            /live/a.flv       | /live
            /livex            | /live
            /hls/x.ts         | /hls/
            /exact            | =/exact
            /exact/more       | /
            """)
    void anExactLocationWinsThenTheLongestPrefix(String path, String expected) {
        HttpServerConfig server = server("""
                location / { }
                location /live { flv_live on; }
                location /hls/ { root /srv; }
                location /hl { root /srv; }
                location = /exact { root /srv; }
                """);

        HttpLocation found = server.location(path).orElseThrow();
        assertThat((found.exact() ? "=" : "") + found.path()).isEqualTo(expected);
    }

    @Test
    void withoutARootLocationAnUnmatchedPathHasNoLocation() {
        assertThat(server("location /live { flv_live on; }").location("/other")).isEmpty();
    }

    @Test
    void rootTypesDefaultTypeHeadersAndAccessInheritLikeNginx() {
        ServerConfig config = parse("""
                http {
                    root /srv/www;
                    default_type text/plain;
                    types { text/html html; video/mp2t ts; }
                    add_header X-Http 1;
                    deny 10.0.0.0/8;
                    server {
                        listen 8080;
                        add_header X-Server 2 always;
                        location /a { }
                        location /b { alias /data/b/; types { application/x-b b; } add_header X-Loc 3; allow all; }
                    }
                }
                """);

        HttpServerConfig server = config.httpServers().getFirst();
        HttpLocation a = server.location("/a").orElseThrow();
        assertThat(a.root()).isEqualTo(Path.of("/srv/www"));
        assertThat(a.alias()).isNull();
        assertThat(a.contentType("x.TS")).isEqualTo("video/mp2t");
        assertThat(a.contentType("x.m3u8")).isEqualTo("text/plain");
        assertThat(a.headers()).containsExactly(new HttpLocation.Header("X-Server", "2", true));
        assertThat(a.access()).hasSize(1);
        HttpLocation b = server.location("/b").orElseThrow();
        assertThat(b.root()).isNull();
        assertThat(b.alias()).isEqualTo(Path.of("/data/b"));
        assertThat(b.contentType("x.b")).isEqualTo("application/x-b");
        assertThat(b.contentType("x.html")).isEqualTo("text/plain");
        assertThat(b.headers()).containsExactly(new HttpLocation.Header("X-Loc", "3", false));
        assertThat(b.access()).containsExactly(new AccessRule(true, true, true, null, 0));
    }

    @ParameterizedTest(name = "{1} from {0}")
    @CsvSource(delimiter = '|', textBlock = """
            127.0.0.1   | true
            10.1.2.3    | true
            10.9.9.9    | false
            192.168.1.1 | false
            ::1         | true
            ::ffff:10.1.2.3 | true
            2001:db8::1 | false
            """)
    void allowAndDenyAreEvaluatedInOrder(String address, boolean allowed) throws Exception {
        HttpLocation location = location("location / { allow 127.0.0.1; allow 10.1.0.0/16; allow ::1; deny all; }", "/");

        assertThat(location.allows(InetAddress.getByName(address))).isEqualTo(allowed);
    }

    @Test
    void statControlAndTheirStylesheetAreBound() {
        HttpServerConfig server = server("""
                location /stat { rtmp_stat all; rtmp_stat_stylesheet stat.xsl; }
                location /control { rtmp_control all; }
                """);

        HttpLocation stat = server.location("/stat").orElseThrow();
        assertThat(stat.rtmpStat()).containsExactly("all");
        assertThat(stat.statStylesheet()).isEqualTo("stat.xsl");
        assertThat(server.location("/control").orElseThrow().rtmpControl()).containsExactly("all");
    }

    @Test
    void commonNginxDirectivesAreAcceptedAndNotedAsIgnored() {
        ServerConfig config = parse("""
                http {
                include mime.types;
                sendfile on;
                server {
                listen 8080 default_server;
                server_name example.com;
                location / { chunked_transfer_encoding on; expires 1h; }
                } }
                """);

        assertThat(config.ignored()).containsExactly(
                "t.conf:3: \"include mime.types\" is ignored: no such file (Onair has built-in types)",
                "t.conf:4: directive \"sendfile\" is ignored (not supported yet)",
                "t.conf:6: parameter \"default_server\" of the \"listen\" directive is ignored (not supported yet)",
                "t.conf:7: directive \"server_name\" is ignored (not supported yet)",
                "t.conf:8: directive \"expires\" is ignored (not supported yet)");
    }

    @Test
    void theHttpBlocksOfTheNginxRtmpAndHttpFlvReadmesAreAccepted() {
        ServerConfig config = parse("""
                http {
                    sendfile off;
                    tcp_nopush on;
                    directio 512;
                    default_type application/octet-stream;
                    server {
                        listen 8080;
                        location / {
                            add_header 'Cache-Control' 'no-cache';
                            add_header 'Access-Control-Allow-Origin' '*' always;
                            add_header 'Access-Control-Expose-Headers' 'Content-Length';
                            types {
                                application/dash+xml mpd;
                                application/vnd.apple.mpegurl m3u8;
                                video/mp2t ts;
                            }
                            root /mnt/;
                        }
                        location /live {
                            flv_live on;
                            chunked_transfer_encoding on;
                            add_header 'Access-Control-Allow-Origin' '*';
                            add_header 'Access-Control-Allow-Credentials' 'true';
                        }
                        location /stat { rtmp_stat all; rtmp_stat_stylesheet stat.xsl; }
                        location /stat.xsl { root /var/www/; }
                        location /control { rtmp_control all; }
                    }
                }
                """);

        HttpServerConfig server = config.httpServers().getFirst();
        assertThat(server.location("/x.mpd").orElseThrow().contentType("x.mpd")).isEqualTo("application/dash+xml");
        assertThat(server.location("/live/a.flv").orElseThrow().headers()).hasSize(2);
        assertThat(server.location("/stat.xsl").orElseThrow().root()).isEqualTo(Path.of("/var/www"));
        assertThat(server.location("/stat").orElseThrow().statStylesheet()).isEqualTo("stat.xsl");
        assertThat(config.ignored()).hasSize(3);
    }

    @Test
    void anExistingIncludedMimeTypesFileIsRead(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("mime.types"), "types { text/x-test tst; }\n");
        Path conf = dir.resolve("onair.conf");
        Files.writeString(conf, RTMP + "http { include mime.types; server { listen 8080; location / { root /srv; } } }");

        HttpLocation location = ServerConfig.load(conf).httpServers().getFirst().location("/").orElseThrow();

        assertThat(location.contentType("a.tst")).isEqualTo("text/x-test");
        assertThat(location.contentType("a.m3u8")).isEqualTo(HttpLocation.DEFAULT_TYPE);
    }

    @Test
    void aRelativeRootIsResolvedNextToTheConfigurationFile() {
        assertThat(location("location / { root www; }", "/").root()).isEqualTo(Path.of("www").toAbsolutePath());
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /x              | /
            /exact          | /exact
            /hls/a.m3u8     | \\.M3U8$
            /hls/a.ts       | \\.ts$
            /hls/x          | /hls/
            /static/a.png   | /static/
            /static/a.m3u8  | /static/
            /img/a.png      | \\.png$
            /img/a.jpg      | \\.[jp][pn]g$
            /img/a.gif      | /img/
            /A.m3u8         | \\.M3U8$
            """)
    void locationsAreChosenInNginxsOrderExactLongestPrefixCaretTildeStopsRegexesInOrderElseThePrefix(String path,
            String expected) {
        HttpServerConfig server = server("""
                location / { }
                location = /exact { }
                location /hls/ { location ~ \\.ts$ { } }
                location ^~ /static/ { }
                location ~* \\.M3U8$ { }
                location ~ \\.png$ { }
                location ~ \\.[jp][pn]g$ { }
                location /img/ { }
                """);

        assertThat(server.location(path)).map(HttpLocation::path).contains(expected);
    }

    @Test
    void errorPagesReturnsIfsAndMapsAreBoundWhereNginxTakesThem() {
        ServerConfig config = parse("""
                http {
                    map $http_origin $cors { default ""; ~^https://a\\. $http_origin; }
                    error_page 500 502 /50x.html;
                    server {
                        listen 8080;
                        if ($arg_old) { return 301 /new; }
                        location /a { error_page 404 =200 /index.html; }
                        location /b {
                            if ($request_method = 'OPTIONS') { add_header X-A $cors; return 204; }
                            return 403;
                        }
                    }
                }
                """);

        HttpServerConfig server = config.httpServers().getFirst();
        assertThat(server.maps()).containsOnlyKeys("cors");
        assertThat(server.errorPages()).containsOnlyKeys(500, 502);
        assertThat(server.rules()).singleElement().isInstanceOf(HttpRule.If.class);
        HttpLocation a = server.location("/a").orElseThrow();
        assertThat(a.errorPages()).containsOnlyKeys(404);
        assertThat(a.errorPages().get(404).response()).isEqualTo(200);
        HttpLocation b = server.location("/b").orElseThrow();
        assertThat(b.errorPages()).containsOnlyKeys(500, 502);
        assertThat(b.rules()).hasSize(2);
        HttpRule.If options = (HttpRule.If) b.rules().getFirst();
        assertThat(options.condition()).hasToString("$request_method = OPTIONS");
        assertThat(options.headers()).containsExactly(new HttpLocation.Header("X-A", "$cors", false));
        assertThat(options.result()).isEqualTo(new HttpRule.Return(204, null));
        assertThat(b.rules().getLast()).isEqualTo(new HttpRule.Return(403, null));
    }

    @Test
    void maxConnectionsPerAddressIsOffByDefaultAsNginxHasNoSuchLimitAndServersInheritIt() {
        List<HttpServerConfig> servers = parse("""
                http {
                    max_connections_per_address 50;
                    server { listen 8080; }
                    server { listen 8081; max_connections_per_address off; }
                }
                """).httpServers();

        assertThat(server("").maxConnectionsPerAddress()).isZero();
        assertThat(servers).extracting(HttpServerConfig::maxConnectionsPerAddress).containsExactly(50, 0);
    }

    @Test
    void anHttpListenWithoutAPortListensOn80() {
        assertThat(server("").listens()).containsExactly(new Listen(null, 8080));
        assertThat(parse("http { server { listen 127.0.0.1; } }").httpServers().getFirst().listens())
                .containsExactly(new Listen("127.0.0.1", 80));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            location /a { flv_live maybe; }                 | invalid value "maybe" in "flv_live" directive, it must be "on" or "off"
            location /a { root /x; alias /y; }              | "alias" directive is duplicate, "root" directive was specified earlier
            location /a { alias /y; root /x; }              | "root" directive is duplicate, "alias" directive was specified earlier
            location /a { root /x; root /y; }               | "root" directive is duplicate
            location /a { flv_live on; rtmp_stat all; }     | location "/a" has more than one of root/alias, flv_live, rtmp_stat, rtmp_control and rtmp_metrics
            location /a { rtmp_metrics on; root /x; }       | location "/a" has more than one of root/alias, flv_live, rtmp_stat, rtmp_control and rtmp_metrics
            location /a { rtmp_stat some; }                 | invalid value "some" in "rtmp_stat" directive, it must be one or more of "all", "global", "live", "clients"
            location /a { rtmp_control none; }              | invalid value "none" in "rtmp_control" directive, it must be one or more of "all", "drop", "redirect", "record", "relay", "reconnect"
            location /a { rtmp_metrics maybe; }             | invalid value "maybe" in "rtmp_metrics" directive, it must be "on" or "off"
            location /a { rtmp_stat_stylesheet s.xsl; }     | "rtmp_stat_stylesheet" without "rtmp_stat" in location "/a"
            location /a { allow 10.0.0.0/33; }              | invalid value "10.0.0.0/33" in "allow" directive, the prefix length must be between 0 and 32
            location /a { deny example.com; }               | invalid value "example.com" in "deny" directive, "example.com" is not an IPv4 or IPv6 address
            location /a { add_header X; }                   | invalid number of arguments in "add_header" directive
            location /a { add_header X 1 sometimes; }       | invalid value "sometimes" in "add_header" directive, it must be "always"
            location /a { add_header "X Y" 1; }             | invalid value "X Y" in "add_header" directive, not a header name
            location /a { proxy_pass http://x; }            | directive "proxy_pass" is not supported yet
            location /a { frobnicate on; }                  | unknown directive "frobnicate"
            location /a { listen 80; }                      | "listen" directive is not allowed here
            location /a { ssl_certificate c.pem; }          | "ssl_certificate" directive is not allowed here
            flv_live on;                                    | "flv_live" directive is not allowed here
            location /a { location @n { } }                 | named location "@n" can be on the server level only
            location /a { location /b { } }                 | location "/b" is outside location "/a"
            location = /a { location /a/b { } }             | location "/a/b" cannot be inside the exact location "/a"
            location ~ ( { }                                | invalid regular expression "(": Unclosed group
            location ~ \\.ts$ { alias /x; }                 | "alias" in a regular expression location is not supported yet
            return;                                         | invalid number of arguments in "return" directive
            return abc;                                     | invalid return code "abc"
            return 1000;                                    | invalid return code "1000"
            return 200 $nosuch;                             | unknown "nosuch" variable
            error_page 404;                                 | invalid number of arguments in "error_page" directive
            error_page 200 /x;                              | value "200" must be between 300 and 599
            error_page 404 =abc /x;                         | invalid value "=abc"
            if ($request_method = GET) { add_header X 1; }  | "add_header" directive is not allowed here
            location /a { if ($x = 1) { } }                 | unknown "x" variable
            location /a { if ($uri) { root /x; } }          | "root" directive is not allowed here
            location /a { if ($uri == 1) { } }              | unexpected "==" in condition
            location /a { if $uri { } }                     | invalid condition "$uri"
            location /a { add_header X $nosuch; }           | unknown "nosuch" variable
            location /a { try_files $uri @nope; }           | no named location "@nope" in this server
            error_page 404 @nope;                           | no named location "@nope" in this server
            try_files $uri;                                 | invalid number of arguments in "try_files" directive
            location /a { try_files $nosuch =404; }         | unknown "nosuch" variable
            location /a { try_files $uri =abc; }            | invalid code "=abc"
            location @a { location /b { } }                 | location "/b" could not be inside the named location "@a"
            location = @a { }                               | invalid location "= @a"
            map $uri $x { }                                 | "map" directive is not allowed here
            location a { }                                  | invalid location "a", it must start with "/"
            location /a;                                    | directive "location" has no opening "{"
            location /a { } location /a { }                 | duplicate location "/a"
            """)
    void badServerDirectivesAreRejectedWithFileAndLine(String directives, String message) {
        assertRejected("http { server { listen 8080;\n" + directives + "\n} }", "t.conf:3: " + message);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            http { }\\nhttp { }                                    | 2 | "http" directive is duplicate
            http {\\nserver { }\\n}                                | 2 | no "listen" directive in "server" block
            http {\\nserver { listen 8080; }\\nserver { listen *:8080; } } | 3 | duplicate "*:8080" address and port pair (server_name is not supported yet)
            http {\\nwhatever; }                                   | 2 | unknown directive "whatever"
            http {\\nlisten 80; }                                  | 2 | "listen" directive is not allowed here
            http { server {\\nlisten 8443 ssl; } }                 | 2 | no "ssl_certificate" is defined for the "listen ... ssl" directive
            """)
    void badHttpSectionsAreRejectedWithFileAndLine(String http, int line, String message) {
        assertRejected(http.replace("\\n", "\n"), "t.conf:" + (line + 1) + ": " + message);
    }

    @Test
    void anHttpsListenReadsItsCertificateLikeRtmps(@TempDir Path dir) throws Exception {
        Path certificate = dir.resolve("missing.pem");

        assertThatThrownBy(() -> parse("http { server { listen 8443 ssl;\nssl_certificate " + certificate
                + ";\nssl_certificate_key " + dir.resolve("key.pem") + "; } }"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("t.conf:3: cannot load certificate \"" + certificate + "\"");
    }

    @Test
    void locationsKeepTheirOrderAndKind() {
        assertThat(server("location = /a { } location /a { }").locations())
                .extracting(HttpLocation::exact)
                .containsExactly(true, false);
        assertThat(server("location ^~ /a { }").location("/a/b")).isPresent();
    }
}
