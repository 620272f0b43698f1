package onair.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccessLogConfigTest {

    private static final Path DIR = Path.of("t.conf").toAbsolutePath().getParent();

    private static RtmpServerConfig server(String rtmpBody) {
        return ServerConfig.parse("rtmp {\n" + rtmpBody + "\n}", "t.conf").rtmpServers().getFirst();
    }

    @Test
    void offByDefault() {
        RtmpServerConfig server = server("server { listen 1; application a { live on; } }");
        assertThat(server.accessLog()).isEqualTo(AccessLogConfig.OFF);
        assertThat(server.application("a").orElseThrow().accessLog()).isEqualTo(AccessLogConfig.OFF);
    }

    @Test
    void aPathAloneUsesCombinedAndIsInheritedUntilABlockSetsItsOwn() {
        RtmpServerConfig server = server("""
            access_log logs/rtmp.log;
            server { listen 1;
                application a { live on; }
                application b { access_log off; }
                application c { access_log c.log; access_log d.log combined; }
            }""");
        AccessLogConfig.Target inherited = new AccessLogConfig.Target(DIR.resolve("logs/rtmp.log"), LogFormat.COMBINED);
        assertThat(server.accessLog().targets()).containsExactly(inherited);
        assertThat(server.application("a").orElseThrow().accessLog().targets()).containsExactly(inherited);
        assertThat(server.application("b").orElseThrow().accessLog()).isEqualTo(AccessLogConfig.OFF);
        assertThat(server.application("c").orElseThrow().accessLog().targets()).extracting(AccessLogConfig.Target::file)
            .containsExactly(DIR.resolve("c.log"), DIR.resolve("d.log"));
    }

    @Test
    void aNamedFormatJoinsItsArgumentsAndIsFoundIgnoringCase() {
        RtmpServerConfig server = server("""
            log_format short '$connection ' '${app}/$name';
            server { listen 1; application a { access_log a.log SHORT; } }""");
        LogFormat format = server.application("a").orElseThrow().accessLog().targets().getFirst().format();
        assertThat(format.name()).isEqualTo("short");
        assertThat(format.parts()).containsExactly(new LogFormat.Part(null, "connection"),
            new LogFormat.Part(" ", null), new LogFormat.Part(null, "app"), new LogFormat.Part("/", null),
            new LogFormat.Part(null, "name"));
    }

    @Test
    void combinedIsNginxRtmpsFormat() {
        assertThat(LogFormat.COMBINED.parts().stream()
            .map(part -> part.variable() == null ? part.literal() : "$" + part.variable())
            .reduce("", String::concat))
            .isEqualTo("$remote_addr [$time_local] $command \"$app\" \"$name\" \"$args\" - $bytes_received "
                + "$bytes_sent \"$pageurl\" \"$flashver\" ($session_readable_time)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "log_format f '$nope'; server { listen 1; }|t.conf:2: unknown variable \"nope\"",
        "log_format f '${app';  server { listen 1; }|t.conf:2: missing closing bracket in \"app\"",
        "log_format f 'x $';  server { listen 1; }|t.conf:2: invalid parameter \"x $\"",
        "log_format combined x; server { listen 1; }|t.conf:2: duplicate \"log_format\" name \"combined\"",
        "log_format f;          server { listen 1; }|t.conf:2: invalid number of arguments in \"log_format\" directive",
        "server { listen 1; access_log a.log nope; }|t.conf:2: unknown log format \"nope\"",
        "server { listen 1; access_log a b c; }|t.conf:2: invalid number of arguments in \"access_log\" directive",
        "server { listen 1; log_format f x; }|t.conf:2: \"log_format\" directive is not allowed here",
    })
    void badDirectivesAreRefusedWithTheirLine(String rtmpBody, String message) {
        assertThatThrownBy(() -> server(rtmpBody)).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void everyNginxRtmpVariableCompiles() {
        for (String variable : LogFormat.VARIABLES) {
            assertThat(LogFormat.compile("v", "$" + variable).parts()).containsExactly(new LogFormat.Part(null, variable));
        }
        assertThat(LogFormat.VARIABLES).hasSize(16);
        assertThat(List.copyOf(LogFormat.VARIABLES)).contains("session_readable_time", "msec");
    }
}
