package onair.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import onair.stream.LiveOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ServerConfigTest {

    private static ServerConfig parse(String text) {
        return ServerConfig.parse(text, "t.conf");
    }

    private static RtmpServerConfig onlyServer(String text) {
        return parse(text).rtmpServers().getFirst();
    }

    private static ApplicationConfig app(String rtmpBody) {
        return onlyServer("rtmp {\n" + rtmpBody + "\n}").application("a").orElseThrow();
    }

    private static void assertRejected(String text, String message) {
        assertThatThrownBy(() -> parse(text)).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void anApplicationComesFromTheFirstServerBlockThatHasIt() {
        ServerConfig config = parse("rtmp { server { listen 1935; application a { live on; } } "
            + "server { listen 1936; application b { live on; } } server { listen 1937; application b { live off; } } }");

        assertThat(config.server("a")).hasValue(0);
        assertThat(config.server("b")).hasValue(1);
        assertThat(config.application("b")).get().extracting(ApplicationConfig::live).isEqualTo(true);
        assertThat(config.server("c")).isEmpty();
        assertThat(config.application("c")).isEmpty();
    }

    @Test
    void theBuiltInConfigurationListensOn1935WithALiveApplication() {
        ServerConfig config = ServerConfig.defaults();

        assertThat(config.ignored()).isEmpty();
        RtmpServerConfig server = config.rtmpServers().getFirst();
        assertThat(server.listens()).containsExactly(new Listen(null, 1935));
        assertThat(server.chunkSize()).isEqualTo(4000);
        assertThat(server.application("live")).get().extracting(ApplicationConfig::live).isEqualTo(true);
        assertThat(server.application("other")).isEmpty();
    }

    @Test
    void unsetDirectivesTakeTheNginxRtmpDefaults() {
        RtmpServerConfig server = onlyServer("rtmp { server { listen 1935; application a { } } }");

        assertThat(server).isEqualTo(new RtmpServerConfig(List.of(new Listen(null, 1935)), 4096,
                Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(30), 5_000_000, 1 << 20, 32,
                Duration.ofSeconds(1), 10_000, 0, null, List.of(new ApplicationConfig("a", false, true, false, false, true,
                        Duration.ZERO, false, ApplicationConfig.Meta.ON, false, Duration.ofMillis(300), true))));
    }

    @Test
    void everySupportedDirectiveIsBound() {
        RtmpServerConfig server = onlyServer("""
                rtmp {
                    server {
                        listen 1935;
                        chunk_size 8k; timeout 10s; ping 20s; ping_timeout 5s; ack_window 2500000;
                        max_message 2m; max_streams 8; buflen 500ms; max_connections 500;
                        max_connections_per_address off; merge_window 40ms;
                        application a {
                            live on; wait_key off; wait_video on; publish_notify on; idle_streams off;
                            drop_idle_publisher 10s; play_restart on; meta copy; interleave on; sync 10ms;
                            gop_cache off;
                        }
                    }
                }
                """);

        assertThat(server).isEqualTo(new RtmpServerConfig(List.of(new Listen(null, 1935)), 8192,
                Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(5), 2_500_000, 2 << 20, 8,
                Duration.ofMillis(500), 500, 0, null, List.of(new ApplicationConfig("a", true, false, true, true, false,
                        Duration.ofSeconds(10), true, ApplicationConfig.Meta.COPY, true, Duration.ofMillis(10),
                        false)), AccessLogConfig.OFF, AdmissionConfig.DEFAULT, Duration.ofMillis(40)));
    }

    @Test
    void anApplicationsLiveOptionsComeFromItsDirectivesWithTheHubsGopBounds() {
        LiveOptions defaults = LiveOptions.defaults();

        assertThat(app("server { listen 1935; application a { gop_cache off; wait_key off; wait_video on; "
                + "idle_streams off; } }").liveOptions())
                .isEqualTo(new LiveOptions(false, false, true, false, defaults.maxGopFrames(), defaults.maxGopBytes()));
        assertThat(app("server { listen 1935; application a { } }").liveOptions()).isEqualTo(defaults);
    }

    @Test
    void outerLevelsSetTheDefaultsOfInnerLevels() {
        ServerConfig config = parse("""
                rtmp {
                    chunk_size 1000;
                    live on;
                    meta off;
                    server {
                        listen 1935;
                        chunk_size 2000;
                        meta copy;
                        application a { }
                        application b { live off; }
                    }
                    server {
                        listen 1936;
                        application c { }
                    }
                    sync 1s;
                }
                """);

        RtmpServerConfig first = config.rtmpServers().get(0);
        RtmpServerConfig second = config.rtmpServers().get(1);
        assertThat(first.chunkSize()).isEqualTo(2000);
        assertThat(second.chunkSize()).isEqualTo(1000);
        assertThat(first.application("a").orElseThrow())
                .extracting(ApplicationConfig::live, ApplicationConfig::meta, ApplicationConfig::sync)
                .containsExactly(true, ApplicationConfig.Meta.COPY, Duration.ofSeconds(1));
        assertThat(first.application("b").orElseThrow().live()).isFalse();
        assertThat(second.application("c").orElseThrow())
                .extracting(ApplicationConfig::live, ApplicationConfig::meta)
                .containsExactly(true, ApplicationConfig.Meta.OFF);
    }

    @Test
    void aServerMayHaveNoApplications() {
        assertThat(onlyServer("rtmp { server { listen 1935; } }").applications()).isEmpty();
    }

    static Stream<Arguments> listenForms() {
        return Stream.of(
                Arguments.of("1935", null, 1935),
                Arguments.of("0", null, 0),
                Arguments.of("127.0.0.1:1935", "127.0.0.1", 1935),
                Arguments.of("127.0.0.1", "127.0.0.1", 1935),
                Arguments.of("*:1936", null, 1936),
                Arguments.of("[::]:1935", "::", 1935),
                Arguments.of("[::1]:1937", "::1", 1937),
                Arguments.of("[::1]", "::1", 1935),
                Arguments.of("localhost:1935", "localhost", 1935),
                Arguments.of("rtmp.example.com", "rtmp.example.com", 1935));
    }

    @ParameterizedTest(name = "listen {0}")
    @MethodSource("listenForms")
    void listenAcceptsTheNginxAddressForms(String address, String host, int port) {
        assertThat(onlyServer("rtmp { server { listen " + address + "; } }").listens())
                .containsExactly(new Listen(host, port));
    }

    @ParameterizedTest(name = "listen 1935 {0}")
    @ValueSource(strings = {"bind", "ipv6only=on", "ipv6only=off", "so_keepalive=on", "so_keepalive=30m::10", "reuseport"})
    void listenParametersAreAcceptedAndNotedAsIgnored(String parameter) {
        ServerConfig config = parse("rtmp { server {\nlisten 1935 " + parameter + "; } }");
        String name = parameter.contains("=") ? parameter.substring(0, parameter.indexOf('=')) : parameter;

        assertThat(config.ignored()).containsExactly(
                "t.conf:2: parameter \"" + name + "\" of the \"listen\" directive is ignored (not supported yet)");
    }

    @Test
    void aServerListensOnEveryListenDirective() {
        assertThat(onlyServer("rtmp { server { listen 1935; listen [::]:1935; } }").listens())
                .containsExactly(new Listen(null, 1935), new Listen("::", 1935));
    }

    @Test
    void listenAddressesPrintLikeNginx() {
        assertThat(List.of(new Listen(null, 1), new Listen("h", 2), new Listen("::1", 3)))
                .map(Listen::toString)
                .containsExactly("*:1", "h:2", "[::1]:3");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            listen unix:/tmp/rtmp.sock;        | "unix:" in "listen" directive is not supported yet
            listen 1935 proxy_protocol;        | "proxy_protocol" in "listen" directive is not supported yet
            listen 1935 backlog=5;             | invalid parameter "backlog=5" in "listen" directive
            listen 1935 http2;                 | invalid parameter "http2" in "listen" directive
            listen 1935 ipv6only=maybe;        | invalid value "ipv6only=maybe" in "listen" directive
            listen 1935 bind=1;                | invalid value "bind=1" in "listen" directive
            listen 70000;                      | invalid value "70000" in "listen" directive, invalid port
            listen host:http;                  | invalid value "host:http" in "listen" directive, invalid port
            listen ::1;                        | invalid value "::1" in "listen" directive
            listen [::1;                       | invalid value "[::1" in "listen" directive
            listen [::1]1935;                  | invalid value "[::1]1935" in "listen" directive
            listen [host]:1935;                | invalid value "[host]:1935" in "listen" directive
            listen ho_st:1935;                 | invalid value "ho_st:1935" in "listen" directive
            listen;                            | invalid number of arguments in "listen" directive
            listen 1935 { }                    | directive "listen" is not terminated by ";"
            """)
    void badListenDirectivesAreRejected(String listen, String message) {
        assertRejected("rtmp { server {\n" + listen + " } }", "t.conf:2: " + message);
    }

    @Test
    void theSameAddressTwiceIsRejected() {
        assertRejected("rtmp {\nserver { listen 1935; }\nserver { listen *:1935; } }",
                "t.conf:3: duplicate \"*:1935\" address and port pair");
    }

    @Test
    void port0MayRepeatSinceEachPicksItsOwnFreePort() {
        assertThat(onlyServer("rtmp { server { listen 127.0.0.1:0; listen 127.0.0.1:0; } }").listens()).hasSize(2);
    }

    @Test
    void aServerWithoutListenIsRejected() {
        assertRejected("rtmp {\n  server { }\n}", "t.conf:2: no \"listen\" directive in \"server\" block");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            chunk_size abc;              | invalid value "abc" in "chunk_size" directive
            chunk_size 127;              | invalid value "127" in "chunk_size" directive, it must be between 128 and 16777215
            chunk_size 16M;              | invalid value "16M" in "chunk_size" directive, it must be between 128 and 16777215
            chunk_size;                  | invalid number of arguments in "chunk_size" directive
            chunk_size 1 2;              | invalid number of arguments in "chunk_size" directive
            chunk_size 4096 { }          | directive "chunk_size" is not terminated by ";"
            timeout 0;                   | invalid value "0" in "timeout" directive, it must be greater than 0
            timeout 5x;                  | invalid value "5x" in "timeout" directive
            ping soon;                   | invalid value "soon" in "ping" directive
            ping_timeout 0s;             | invalid value "0s" in "ping_timeout" directive, it must be greater than 0
            ack_window 0;                | invalid value "0" in "ack_window" directive, it must be between 1 and 4294967295
            ack_window 4g;               | invalid value "4g" in "ack_window" directive, it must be between 1 and 4294967295
            max_message 0;               | invalid value "0" in "max_message" directive, it must be between 1 and 2147483647
            max_message 2g;              | invalid value "2g" in "max_message" directive, it must be between 1 and 2147483647
            max_streams 0;               | invalid value "0" in "max_streams" directive, it must be between 1 and 2147483647
            max_streams 1k;              | invalid value "1k" in "max_streams" directive
            max_connections 0;           | invalid value "0" in "max_connections" directive, it must be "off" or between 1 and 2147483647
            max_connections many;        | invalid value "many" in "max_connections" directive, it must be "off" or between 1 and 2147483647
            max_connections_per_address -1; | invalid value "-1" in "max_connections_per_address" directive, it must be "off" or between 1 and 2147483647
            buflen -1;                   | invalid value "-1" in "buflen" directive
            merge_window 2s;             | invalid value "2s" in "merge_window" directive, it must be at most 1s
            live yes;                    | invalid value "yes" in "live" directive, it must be "on" or "off"
            wait_key ON;                 | invalid value "ON" in "wait_key" directive, it must be "on" or "off"
            wait_video 1;                | invalid value "1" in "wait_video" directive, it must be "on" or "off"
            publish_notify true;         | invalid value "true" in "publish_notify" directive, it must be "on" or "off"
            idle_streams no;             | invalid value "no" in "idle_streams" directive, it must be "on" or "off"
            drop_idle_publisher off;     | invalid value "off" in "drop_idle_publisher" directive
            play_restart x;              | invalid value "x" in "play_restart" directive, it must be "on" or "off"
            meta rebuild;                | invalid value "rebuild" in "meta" directive, it must be "on", "copy" or "off"
            interleave 0;                | invalid value "0" in "interleave" directive, it must be "on" or "off"
            sync 1.5s;                   | invalid value "1.5s" in "sync" directive
            gop_cache enabled;           | invalid value "enabled" in "gop_cache" directive, it must be "on" or "off"
            live on;live off;            | "live" directive is duplicate
            """)
    void badValuesAreRejectedWithTheDirectiveAndLine(String directive, String message) {
        assertRejected("rtmp {\n" + directive + "\n server { listen 1935; } }", "t.conf:2: " + message);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"chunk_size 4000;", "timeout 1s;", "ping 1s;", "ping_timeout 1s;", "ack_window 1;",
        "max_message 1;", "max_streams 1;", "buflen 1s;", "merge_window 40ms;", "listen 1935;", "server { }", "application b { }",
        "rtmp { }"})
    void serverWideDirectivesAreNotAllowedInAnApplication(String directive) {
        String name = directive.substring(0, directive.indexOf(' '));
        assertRejected("rtmp { server { listen 1; application a {\n" + directive + "\n} } }",
                "t.conf:2: \"" + name + "\" directive is not allowed here");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"listen 1935;", "application a { }", "rtmp { }", "user nobody;", "http { }"})
    void structuralDirectivesAreOnlyAllowedInTheirBlock(String directive) {
        String name = directive.substring(0, directive.indexOf(' '));
        assertRejected("rtmp {\n" + directive + "\n}", "t.conf:2: \"" + name + "\" directive is not allowed here");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"live on;", "chunk_size 4000;", "server { }", "listen 1935;", "application a { }"})
    void rtmpDirectivesAreNotAllowedAtTheTopLevel(String directive) {
        String name = directive.substring(0, directive.indexOf(' '));
        assertRejected("\n" + directive + "\nrtmp { }", "t.conf:2: \"" + name + "\" directive is not allowed here");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            rtmp { server { listen 1; foo 1; } }     | foo
            rtmp { server { listen 1; application a { sendfile on; } } }     | sendfile
            rtmp { } worker_connections 10;          | worker_connections
            rtmp { } exec_block { }                  | exec_block
            """)
    void unknownDirectivesAreRejected(String text, String name) {
        assertRejected(text, "t.conf:1: unknown directive \"" + name + "\"");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "record_interval_size 1m;",
        "on_playlist http://h/;",
        "notify_send_redirect on;", "netcall_buffer 1k;",
        "busy on;", "play_time_fix on;", "publish_time_fix on;",
        "so_keepalive on;", "stream_buckets 1;", "buffer 1s;", "server_name x;",
    })
    void otherNginxRtmpDirectivesAreRefusedAsNotSupportedYet(String directive) {
        String name = directive.substring(0, directive.indexOf(' '));
        assertRejected("rtmp { server { listen 1; application a {\n" + directive + "\n} } }",
                "t.conf:2: directive \"" + name + "\" is not supported yet");
    }

    @Test
    void nginxRtmpTuningDirectivesAreCheckedAndNotedAsHavingNoEffectWhereNginxTakesThem() {
        ServerConfig config = parse("""
                rtmp {
                    out_queue 4096;
                    out_cork 8;
                    log_interval 5s;
                    server {
                        listen 1;
                        log_size 1m;
                        application a { live on; log_interval 1s; }
                    }
                }
                """);

        assertThat(config.ignored()).containsExactly(
                "t.conf:2: directive \"out_queue\" has no effect in Onair (output queues are bounded by frames and bytes)",
                "t.conf:3: directive \"out_cork\" has no effect in Onair (output is written as it comes)",
                "t.conf:4: directive \"log_interval\" has no effect in Onair (access-log lines are written when a session ends)",
                "t.conf:7: directive \"log_size\" has no effect in Onair (access-log lines are queued for a writer thread)",
                "t.conf:8: directive \"log_interval\" has no effect in Onair (access-log lines are written when a session ends)");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            rtmp { server { listen 1; application a {\\nout_queue 1; } } }   | t.conf:2: "out_queue" directive is not allowed here
            rtmp { server { listen 1; application a {\\nout_cork 1; } } }    | t.conf:2: "out_cork" directive is not allowed here
            rtmp {\\nout_queue many; }                                        | t.conf:2: invalid value "many" in "out_queue" directive
            rtmp {\\nlog_interval 1x; }                                       | t.conf:2: invalid value "1x" in "log_interval" directive
            rtmp {\\nout_cork 1;\\nout_cork 2; }                              | t.conf:3: "out_cork" directive is duplicate
            """)
    void tuningDirectivesAreRefusedAsNginxRefusesThem(String text, String message) {
        assertThatThrownBy(() -> parse(text.replace("\\n", "\n"))).isInstanceOf(ConfigException.class).message()
                .startsWith(message);
    }

    @Test
    void anApplicationWithoutANameIsRefusedAtItsLineAsNginxDoes() {
        assertRejected("rtmp {\n    server {\n        listen 1;\n        application {\n            live on;\n"
                + "        }\n    }\n}\n", "t.conf:4: invalid number of arguments in \"application\" directive");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rtmp_auto_push on;", "rtmp_auto_push_reconnect 1s;", "rtmp_socket_dir /tmp;"})
    void multiWorkerDirectivesAreAcceptedAtTheTopAndInRtmpAndNotedAsNotNeeded(String directive) {
        String name = directive.substring(0, directive.indexOf(' '));
        String note = "directive \"" + name + "\" is not needed (one Onair process serves all cores)";
        assertThat(ServerConfig.parse("\n" + directive + "\nrtmp { }", "t.conf").ignored())
                .containsExactly("t.conf:2: " + note);
        assertThat(ServerConfig.parse("rtmp {\n" + directive + "\n}", "t.conf").ignored())
                .containsExactly("t.conf:2: " + note);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            rtmp { server { listen 1;\\napplication a { }\\napplication a { } } }  | t.conf:3: duplicate application "a"
            rtmp;                                                                 | t.conf:1: directive "rtmp" has no opening "{"
            rtmp x { }                                                            | t.conf:1: invalid number of arguments in "rtmp" directive
            rtmp { }\\nrtmp { }                                                   | t.conf:2: "rtmp" directive is duplicate
            rtmp { server x { listen 1; } }                                       | t.conf:1: invalid number of arguments in "server" directive
            rtmp { server { listen 1; application { } } }                         | t.conf:1: invalid number of arguments in "application" directive
            rtmp { server { listen 1; application a; } }                          | t.conf:1: directive "application" has no opening "{"
            user nobody;                                                          | t.conf: no "rtmp" section in configuration
            """)
    void structuralMistakesAreRejected(String text, String message) {
        assertRejected(text.replace("\\n", "\n"), message);
    }

    @Test
    void anRtmpBlockWithoutServersHasNoServers() {
        assertThat(parse("rtmp { chunk_size 4000; }").rtmpServers()).isEmpty();
    }

    @Test
    void theStockDebianNginxConfWithAnRtmpBlockIsAccepted(@TempDir Path etc) throws Exception {
        Path stock = Path.of(getClass().getResource("/config/debian12-nginx.conf").toURI());
        Path file = etc.resolve("nginx.conf");
        Files.writeString(file, Files.readString(stock).replace("/etc/nginx/", etc + "/"));

        ServerConfig config = ServerConfig.load(file);

        assertThat(config.rtmpServers()).hasSize(1);
        assertThat(config.rtmpServers().getFirst().listens()).containsExactly(new Listen(null, 1935));
        assertThat(config.rtmpServers().getFirst().chunkSize()).isEqualTo(4000);
        assertThat(config.rtmpServers().getFirst().application("live").orElseThrow().live()).isTrue();
        assertThat(config.pidFile()).isEqualTo(Path.of("/run/nginx.pid"));
        assertThat(config.ignored()).containsExactly(
                file + ":1: directive \"user\" is ignored (not supported yet)",
                file + ":2: directive \"worker_processes\" is ignored (not supported yet)",
                file + ":4: directive \"error_log\" is ignored (not supported yet)",
                file + ":7: directive \"events\" is ignored (not supported yet)",
                file + ":18: directive \"sendfile\" is ignored (not supported yet)",
                file + ":19: directive \"tcp_nopush\" is ignored (not supported yet)",
                file + ":20: directive \"types_hash_max_size\" is ignored (not supported yet)",
                file + ":26: \"include " + etc + "/mime.types\" is ignored: no such file (Onair has built-in types)",
                file + ":34: directive \"ssl_prefer_server_ciphers\" is ignored (not supported yet)",
                file + ":40: directive \"access_log\" is ignored (not supported yet)",
                file + ":46: directive \"gzip\" is ignored (not supported yet)");
        assertThat(config.httpServers()).isEmpty();
    }

    @Test
    void thePidDirectiveIsRelativeToTheConfigurationFileAndDefaultsToTheTemporaryDirectory() {
        String rtmp = "rtmp { server { listen 1935; application live { live on; } } }";

        assertThat(ServerConfig.parse("pid run/onair.pid;\n" + rtmp, "/etc/onair/onair.conf").pidFile())
                .isEqualTo(Path.of("/etc/onair/run/onair.pid"));
        assertThat(ServerConfig.parse(rtmp, "/etc/onair/onair.conf").pidFile())
                .isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "onair.pid"));
        assertRejected("pid a b;\n" + rtmp, "t.conf:1: invalid number of arguments in \"pid\" directive");
        assertRejected("rtmp { pid x; }", "t.conf:1: \"pid\" directive is not allowed here");
    }

    @Test
    void otherTopLevelBlocksAreStillSyntaxChecked() {
        assertRejected("http {\n  server {\n    listen 80\n  }\n}\nrtmp { }",
                "t.conf:3: directive \"listen\" is not terminated by \";\"");
    }

    @Test
    void everyTopLevelNginxDirectiveIsNotedOnce() {
        ServerConfig config = parse("""
                load_module modules/x.so;
                env PATH;
                worker_rlimit_nofile 1024;
                daemon off;
                master_process off;
                stream { server { listen 1; } }
                mail { }
                rtmp { }
                """);
        assertThat(config.ignored()).extracting(note -> note.substring(0, note.indexOf(' ')))
                .containsExactly("t.conf:1:", "t.conf:2:", "t.conf:3:", "t.conf:4:", "t.conf:5:", "t.conf:6:",
                        "t.conf:7:");
    }
}
