package onair.rtmpserver;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** How a play name chooses its stream: the key before {@code ?}, and a rendition with {@code track=N}. */
class StreamNameTest {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            cam                      | cam
            cam?token=1              | cam
            cam?track=1              | cam/1
            cam?token=x&track=12     | cam/12
            cam?track=0              | cam
            cam?track=100            | cam
            cam?mytrack=1            | cam
            cam?track=1x             | cam
            """)
    void aPlayedNamesKeyIsItsRenditionWhenTheQueryNamesATrack(String name, String key) {
        assertThat(StreamName.parse(name).played().key()).isEqualTo(key);
    }
}
