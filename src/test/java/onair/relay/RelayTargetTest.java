package onair.relay;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How a relay URL splits into host, port, application and stream name. */
class RelayTargetTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            rtmp://192.168.1.123/someapp/somename        | 192.168.1.123 | 1935 | someapp | somename
            rtmp://10.0.0.1:1936/live/key?token=abc      | 10.0.0.1      | 1936 | live    | key?token=abc
            rtmp://[::1]:1935/live/a/b                   | [::1]         | 1935 | live    | a/b
            RTMP://127.0.0.1/app/name                    | 127.0.0.1     | 1935 | app     | name
            """)
    void urlsSplitIntoApplicationAndName(String url, String host, int port, String app, String name) {
        assertThat(RelayTarget.parse(url)).isEqualTo(new RelayTarget(host, port, app, name));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            rtmp://10.0.0.1/              | no application and stream name in rtmp://10.0.0.1/
            rtmp://10.0.0.1/app           | no application and stream name in rtmp://10.0.0.1/app
            rtmp://10.0.0.1/app/          | no application and stream name in rtmp://10.0.0.1/app/
            http://10.0.0.1/app/name      | not an rtmp://host/app/name URL: http://10.0.0.1/app/name
            rtmp://example.com/app/name   | the host of rtmp://example.com/app/name must be an IP address
            """)
    void urlsWithoutApplicationAndNameAreRefused(String url, String message) {
        assertThatThrownBy(() -> RelayTarget.parse(url)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage(message);
    }
}
