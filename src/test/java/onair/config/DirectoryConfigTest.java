package onair.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code directory} and {@code directory_advertise} directives of the {@code rtmp} block, and {@code directory_pull}. */
class DirectoryConfigTest {

    @TempDir
    Path dir;

    private static DirectoryConfig directory(String directives) {
        return ServerConfig.parse("rtmp {\n" + directives + "\nserver { listen 1935; application live { live on; } } }",
            "t.conf").directory();
    }

    @Test
    void withoutADirectoryNothingRegisters() {
        assertThat(directory("")).isEqualTo(DirectoryConfig.OFF);
        assertThat(DirectoryConfig.OFF.active()).isFalse();
    }

    @Test
    void aRedisUrlTakesItsDefaults() {
        DirectoryConfig config = directory("directory redis://127.0.0.1;");

        assertThat(config.backend()).isEqualTo(DirectoryConfig.Backend.REDIS);
        assertThat(config.redis()).isEqualTo(new DirectoryConfig.Redis("127.0.0.1", 6379, 0, null, null, "onair:",
            Duration.ofSeconds(10)));
        assertThat(config.registers()).isTrue();
        assertThat(config.advertise()).isNull();
    }

    @Test
    void aRedisUrlGivesPasswordUserDatabasePrefixAndLease() {
        DirectoryConfig.Redis redis = directory("directory redis://:pw@redis.example:6380/2 prefix=live: lease=30s;")
            .redis();

        assertThat(redis).isEqualTo(new DirectoryConfig.Redis("redis.example", 6380, 2, null, "pw", "live:",
            Duration.ofSeconds(30)));
        assertThat(redis.toString()).isEqualTo("redis://redis.example:6380/2").doesNotContain("pw");
        assertThat(directory("directory redis://onair:pw@[::1]/0;").redis())
            .extracting(DirectoryConfig.Redis::host, DirectoryConfig.Redis::user, DirectoryConfig.Redis::password)
            .containsExactly("::1", "onair", "pw");
    }

    @Test
    void aStaticListKeepsItsOrderWithDefaultPorts() {
        DirectoryConfig config = directory("directory static rtmp://origin2 rtmp://origin1:1940/ rtmps://origin3;");

        assertThat(config.backend()).isEqualTo(DirectoryConfig.Backend.STATIC);
        assertThat(config.origins()).containsExactly(URI.create("rtmp://origin2:1935"),
            URI.create("rtmp://origin1:1940"), URI.create("rtmps://origin3:443"));
        assertThat(config.registers()).isFalse();
    }

    @Test
    void directoryAdvertiseNamesTheOriginOrTurnsRegistrationOff() {
        assertThat(directory("directory redis://r; directory_advertise rtmp://this-host:1935;").advertise())
            .isEqualTo(URI.create("rtmp://this-host:1935"));
        DirectoryConfig edge = directory("directory redis://r; directory_advertise off;");
        assertThat(edge.registers()).isFalse();
        assertThat(edge.advertise()).isNull();
    }

    @Test
    void directoryPullIsOffByDefaultAndOnPerApplication() {
        ServerConfig config = ServerConfig.parse("rtmp { directory redis://r; directory_advertise off;\n"
            + "server { listen 1935; application live { live on; directory_pull on; } application vod { live on; } } }",
            "t.conf");

        assertThat(config.rtmpServers().getFirst().applications())
            .extracting(app -> app.relay().directoryPull()).containsExactly(true, false);
    }

    @Test
    void directoryPullNeedsADirectory() {
        assertThatThrownBy(() -> ServerConfig.parse("rtmp {\nserver { listen 1935;\n"
            + "application live { live on; directory_pull on; } } }", "t.conf"))
            .isInstanceOf(ConfigException.class)
            .hasMessage("t.conf:3: \"directory_pull on\" needs a \"directory\"");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            directory;                                      | t.conf:2: invalid number of arguments in "directory" directive
            directory http://r;                             | t.conf:2: invalid value "http://r" in "directory" directive, use redis://host[:port][/db] or static URL...
            directory rediss://r;                           | t.conf:2: invalid value "rediss://r" in "directory" directive, TLS to Redis (rediss://) is not supported yet
            directory redis://r/x;                          | t.conf:2: invalid value "redis://r/x" in "directory" directive
            directory redis://r lease=500ms;                | t.conf:2: invalid value "redis://r lease=500ms" in "directory" directive, the lease must be at least 1s
            directory redis://r ttl=5s;                     | unknown option "ttl=5s": use prefix= or lease=
            directory static;                               | "static" needs at least one origin URL
            directory static rtmp://o/live;                 | use rtmp://host[:port] or rtmps://host[:port], without an application
            directory redis://r; directory redis://s;       | t.conf:2: "directory" directive is duplicate
            directory_advertise rtmp://me;                  | t.conf:2: "directory_advertise" needs a "directory"
            directory redis://r; directory_advertise me;    | t.conf:2: invalid value "me" in "directory_advertise" directive
            """)
    void badDirectivesNameTheirFileAndLine(String directives, String message) {
        assertThatThrownBy(() -> directory(directives)).isInstanceOf(ConfigException.class)
            .hasMessageContaining(message);
    }

    @Test
    void theDirectoryIsAnRtmpBlockDirective() {
        assertThatThrownBy(() -> ServerConfig.parse(
            "rtmp { server { listen 1935; directory redis://r; application live { live on; } } }", "t.conf"))
            .isInstanceOf(ConfigException.class)
            .hasMessage("t.conf:1: \"directory\" directive is not allowed here");
    }

    @Test
    void onairDashTAcceptsTheDirectives() throws Exception {
        Path file = dir.resolve("onair.conf");
        Files.writeString(file, """
            rtmp {
                directory redis://127.0.0.1:6379/0 prefix=onair: lease=10s;
                directory_advertise rtmp://this-host:1935;
                server { listen 1935; application live { live on; } }
            }
            """);
        Path edge = dir.resolve("edge.conf");
        Files.writeString(edge, """
            rtmp {
                directory static rtmp://origin1:1935 rtmp://origin2:1935;
                server { listen 1935; application live { live on; directory_pull on; } }
            }
            """);

        assertThat(ConfigCheck.of(file).exitCode()).isZero();
        assertThat(ConfigCheck.of(edge).exitCode()).isZero();
        assertThat(ConfigCheck.of(edge).lines()).noneMatch(line -> line.contains("[warn]"));
        assertThat(List.of(file, edge)).allSatisfy(path -> assertThat(ConfigCheck.of(path).lines())
            .last().asString().endsWith("test is successful"));
    }
}
