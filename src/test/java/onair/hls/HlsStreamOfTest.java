package onair.hls;

import onair.config.ServerConfig;
import onair.stream.LiveOptions;
import onair.stream.Publication;
import onair.stream.StreamKey;
import onair.stream.StreamRegistry;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which live stream a requested file belongs to, as HLS viewer sessions ask the HLS output. */
class HlsStreamOfTest {

    private static final StreamKey KEY = new StreamKey("live", "cam-1");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "nested {0}: {1} → {2}")
    @CsvSource({
        "off, cam-1.m3u8, true",
        "off, cam-1-17.ts, true",
        "off, cam-1-17.3.m4s, true",
        "off, cam-1-init-4.mp4, true",
        "off, ./sub/../cam-1.m3u8, true",
        "off, cam-2.m3u8, false",
        "off, cam-17.ts, false",
        "off, cam-1.m3u8.bak/x, false",
        "off, cam-1/index.m3u8, false",
        "on, cam-1/index.m3u8, true",
        "on, cam-1/17.ts, true",
        "on, cam-1.m3u8, false",
        "on, other/index.m3u8, false",
    })
    void filesOfALiveStreamMapToIt(String nested, String file, boolean belongs) throws Exception {
        ServerConfig config = ServerConfig.parse("rtmp { server { listen 1935; application live { live on; hls on; "
            + "hls_path " + dir + "; hls_nested " + nested + "; } } }", "t.conf");
        StreamRegistry registry = new StreamRegistry();
        try (HlsOutput output = new HlsOutput(() -> config)) {
            registry.observe(output);
            Publication publication = registry.stream(KEY, LiveOptions.defaults()).publish();

            assertThat(output.streamOf(dir.resolve(file))).isEqualTo(belongs ? Optional.of(KEY) : Optional.empty());

            publication.close();
            assertThat(output.streamOf(dir.resolve(file))).as("once unpublished").isEmpty();
        }
    }
}
