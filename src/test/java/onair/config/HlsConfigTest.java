package onair.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HlsConfigTest {

    private static HlsConfig hls(String appBody) {
        return ServerConfig.parse("rtmp { server { listen 1935; application a {\n" + appBody + "\n} } }", "/etc/t.conf")
            .rtmpServers().getFirst().application("a").orElseThrow().hls();
    }

    @Test
    void theBuiltInLiveApplicationWritesHlsToTheTemporaryDirectory() {
        HlsConfig hls = ServerConfig.defaults().rtmpServers().getFirst().application("live").orElseThrow().hls();

        assertThat(hls.enabled()).isTrue();
        assertThat(hls.path()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "onair", "hls").toAbsolutePath());
    }

    @Test
    void unsetDirectivesTakeTheNginxRtmpDefaults() {
        assertThat(hls("live on;")).isEqualTo(HlsConfig.off());
        HlsConfig on = hls("hls on; hls_path hls; hls_fragment 2s;");
        assertThat(on.path()).isEqualTo(Path.of("/etc/hls"));
        assertThat(on.keyPath()).isEqualTo(Path.of("/etc/hls"));
        assertThat(on.maxFragment()).isEqualTo(Duration.ofSeconds(20));
        assertThat(on.continuous()).isTrue();
        assertThat(on.cleanup()).isTrue();
    }

    @Test
    void everyDirectiveIsBound() {
        HlsConfig hls = hls("""
            hls on; hls_path /h; hls_fragment 3s; hls_max_fragment 9s; hls_playlist_length 1m; hls_sync 5ms;
            hls_continuous off; hls_nested on; hls_base_url http://cdn/; hls_cleanup off;
            hls_fragment_naming timestamp; hls_fragment_naming_granularity 10; hls_fragment_slicing aligned;
            hls_variant _low BANDWIDTH=320000; hls_variant _hi BANDWIDTH=2000000 RESOLUTION=1280x720;
            hls_type event; hls_muxdelay 1s; hls_max_audio_delay 100ms; hls_audio_buffer_size 64k; hls_keys on;
            hls_key_path /k; hls_key_url https://keys/; hls_fragments_per_key 4; hls_allow_client_cache disabled;
            hls_datetime system; hls_segment_type fmp4; hls_keys off; hls_part 500ms;
            """.replace("hls_keys on;", ""));

        assertThat(hls).isEqualTo(new HlsConfig(true, Path.of("/h"), Duration.ofSeconds(3), Duration.ofSeconds(9),
            Duration.ofMinutes(1), Duration.ofMillis(5), false, true, "http://cdn/", false, HlsConfig.Naming.TIMESTAMP,
            10, HlsConfig.Slicing.ALIGNED, HlsConfig.Type.EVENT,
            List.of(new HlsConfig.Variant("_low", List.of("BANDWIDTH=320000")),
                new HlsConfig.Variant("_hi", List.of("BANDWIDTH=2000000", "RESOLUTION=1280x720"))),
            Duration.ofSeconds(1), Duration.ofMillis(100), 64 << 10, false, Path.of("/k"), "https://keys/", 4,
            HlsConfig.ClientCache.DISABLED, HlsConfig.DateTime.SYSTEM, HlsConfig.SegmentType.FMP4,
            Duration.ofMillis(500)));
    }

    @Test
    void anApplicationInheritsHlsFromItsServerAndMayReplaceTheVariants() {
        ServerConfig config = ServerConfig.parse("""
            rtmp { hls on; hls_path /h; hls_variant _a BANDWIDTH=1;
                server { listen 1935; application x { } application y { hls_variant _b BANDWIDTH=2; } } }
            """, "t.conf");
        RtmpServerConfig server = config.rtmpServers().getFirst();

        assertThat(server.application("x").orElseThrow().hls().variants()).extracting(HlsConfig.Variant::suffix)
            .containsExactly("_a");
        assertThat(server.application("y").orElseThrow().hls().variants()).extracting(HlsConfig.Variant::suffix)
            .containsExactly("_b");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "hls on;|t.conf:1: \"hls\" is on but no \"hls_path\" is set for application \"a\"",
        "hls maybe;|t.conf:2: invalid value \"maybe\" in \"hls\" directive, it must be \"on\" or \"off\"",
        "hls_fragment 0;|t.conf:2: invalid value \"0\" in \"hls_fragment\" directive, it must be greater than 0",
        "hls_fragment_naming random;|t.conf:2: invalid value \"random\" in \"hls_fragment_naming\" directive, it must be \"sequential\" or \"timestamp\" or \"system\"",
        "hls_type vod;|t.conf:2: invalid value \"vod\" in \"hls_type\" directive, it must be \"live\" or \"event\"",
        "hls_variant _hi BANDWIDTH;|t.conf:2: invalid value \"_hi BANDWIDTH\" in \"hls_variant\" directive, \"BANDWIDTH\" is not an ATTRIBUTE=value pair",
        "hls_path /a; hls_path /b;|t.conf:2: \"hls_path\" directive is duplicate",
        "hls_part 2s;|t.conf:2: invalid value \"2s\" in \"hls_part\" directive, it must be at most 1s",
        "hls on; hls_path /h; hls_part 1s;|t.conf:1: \"hls_part\" needs \"hls_segment_type fmp4\" in application \"a\"",
        "hls on; hls_path /h; hls_keys on; hls_segment_type fmp4;|t.conf:1: \"hls_keys\" is not supported with \"hls_segment_type fmp4\" in application \"a\"",
    })
    void badValuesAreReportedWithTheirLocation(String directive, String message) {
        assertThatThrownBy(() -> ServerConfig.parse("rtmp { server { listen 1935; application a {\n" + directive
            + "\n} } }", "t.conf")).isInstanceOf(ConfigException.class).hasMessage(message);
    }
}
