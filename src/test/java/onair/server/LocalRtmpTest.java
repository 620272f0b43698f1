package onair.server;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class LocalRtmpTest {

    private final LocalRtmp local = new LocalRtmp(() -> Set.of(1935, 19350));

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "rtmp://127.0.0.1:19350/hls/x, true", "rtmp://localhost/hls/x, true", "rtmp://[::1]:1935/hls/x, true",
        "rtmp://127.0.0.2:1935/hls/x, true", "rtmp://0.0.0.0:1935/hls/x, true",
        "rtmp://127.0.0.1:1936/hls/x, false", "rtmp://192.0.2.1:1935/hls/x, false",
        "rtmp://example.com/hls/x, false",
    })
    void anOutputIsLocalOnALoopbackOrOwnAddressAndOneOfTheRtmpPorts(String url, boolean expected) {
        assertThat(local.test(URI.create(url))).isEqualTo(expected);
    }
}
