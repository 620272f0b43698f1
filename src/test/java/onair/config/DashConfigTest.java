package onair.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DashConfigTest {

    private static ApplicationConfig application(String appBody) {
        return ServerConfig.parse("rtmp { server { listen 1935; application a {\n" + appBody + "\n} } }", "/etc/t.conf")
            .rtmpServers().getFirst().application("a").orElseThrow();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "fMP4 HLS in the DASH path                 | true  | ''",
        "MPEG-TS HLS                               | false | hls_segment_type mpegts;",
        "another HLS path                          | false | hls_path /other;",
        "HLS nested, DASH not                      | false | hls_nested on;",
        "another HLS fragment                      | false | hls_fragment 4s;",
        "another HLS playlist length               | false | hls_playlist_length 1m;",
        "HLS cleanup off                           | false | hls_cleanup off;",
        "HLS keys                                  | false | hls_keys on; hls_key_path /k; hls_segment_type mpegts;",
        "LL-HLS parts                              | false | hls_part 500ms;",
        "an HLS variant                            | false | hls_variant _hi BANDWIDTH=1000;",
        "an event playlist                         | false | hls_type event;",
        "program date-times                        | false | hls_datetime system;",
        "an HLS base URL                           | false | hls_base_url http://cdn/;",
        "an HLS maximum fragment                   | false | hls_max_fragment 10s;",
        "DASH's maximum fragment                   | true  | hls_max_fragment 20s;",
        "both nested                               | true  | hls_nested on; dash_nested on;",
    })
    void hlsIsWrittenOverTheDashSegmentsOnlyWhereTheyServeEveryHlsSetting(String what, boolean shared, String extra) {
        Map<String, String> directives = new LinkedHashMap<>();
        for (String directive : ("dash on; dash_path /m; dash_fragment 2s; hls on; hls_path /m; hls_segment_type fmp4;"
                + " hls_fragment 2s; " + extra).split(";")) {
            if (!directive.isBlank()) {
                directives.put(directive.trim().split(" ")[0], directive.trim());
            }
        }
        ApplicationConfig app = application(String.join("; ", directives.values()) + ";");

        assertThat(app.hlsOverDash()).as(what).isEqualTo(shared);
        assertThat(application("hls on; hls_path /m; hls_segment_type fmp4; hls_fragment 2s;").hlsOverDash()).isFalse();
    }

    private static DashConfig dash(String appBody) {
        return ServerConfig.parse("rtmp { server { listen 1935; application a {\n" + appBody + "\n} } }", "/etc/t.conf")
            .rtmpServers().getFirst().application("a").orElseThrow().dash();
    }

    @Test
    void unsetDirectivesTakeTheNginxRtmpDefaults() {
        assertThat(dash("live on;")).isEqualTo(DashConfig.off());
        DashConfig on = dash("dash on; dash_path dash;");
        assertThat(on.enabled()).isTrue();
        assertThat(on.path()).isEqualTo(Path.of("/etc/dash"));
        assertThat(on.fragment()).isEqualTo(Duration.ofSeconds(5));
        assertThat(on.playlistLength()).isEqualTo(Duration.ofSeconds(30));
        assertThat(on.nested()).isFalse();
        assertThat(on.cleanup()).isTrue();
        assertThat(on.clock()).isEqualTo(DashConfig.Clock.OFF);
        assertThat(on.clockHelperUri()).isEmpty();
    }

    @Test
    void everyDirectiveIsBound() {
        DashConfig dash = dash("""
            dash on; dash_path /d; dash_fragment 3s; dash_playlist_length 1m; dash_nested on; dash_cleanup off;
            dash_clock_compensation http_head; dash_clock_helper_uri http://time.example/now;
            """);

        assertThat(dash).isEqualTo(new DashConfig(true, Path.of("/d"), Duration.ofSeconds(3), Duration.ofMinutes(1),
            true, false, DashConfig.Clock.HTTP_HEAD, "http://time.example/now"));
    }

    @Test
    void directivesAreInheritedFromTheRtmpAndServerBlocks() {
        DashConfig dash = ServerConfig.parse("""
            rtmp { dash on; dash_path /d; server { listen 1935; dash_fragment 2s; application a { live on; } } }
            """, "/etc/t.conf").rtmpServers().getFirst().application("a").orElseThrow().dash();

        assertThat(dash.enabled()).isTrue();
        assertThat(dash.path()).isEqualTo(Path.of("/d"));
        assertThat(dash.fragment()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void dashOnWithoutAPathIsRefusedAtTheApplication() {
        assertThatThrownBy(() -> dash("dash on;"))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("t.conf:1:")
            .hasMessageContaining("\"dash\" is on but no \"dash_path\" is set for application \"a\"");
    }

    @Test
    void badValuesAreRefusedAtTheirLine() {
        assertThatThrownBy(() -> dash("dash on; dash_path /d;\ndash_fragment 0s;"))
            .isInstanceOf(ConfigException.class).hasMessageContaining("t.conf:3:")
            .hasMessageContaining("dash_fragment");
        assertThatThrownBy(() -> dash("dash on; dash_path /d;\ndash_clock_compensation automatic;"))
            .isInstanceOf(ConfigException.class).hasMessageContaining("t.conf:3:")
            .hasMessageContaining("\"off\" or \"ntp\" or \"http_head\" or \"http_iso\"");
        assertThatThrownBy(() -> dash("dash on; dash_path /d;\ndash_nested maybe;"))
            .isInstanceOf(ConfigException.class).hasMessageContaining("t.conf:3:");
    }

    @Test
    void ntpNeedsAHelperUri() {
        assertThatThrownBy(() -> dash("dash on; dash_path /d; dash_clock_compensation ntp;"))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("\"dash_clock_compensation ntp\" needs a \"dash_clock_helper_uri\"");
    }
}
