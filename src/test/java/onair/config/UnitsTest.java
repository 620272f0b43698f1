package onair.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnitsTest {

    @ParameterizedTest(name = "{0} is {1} bytes")
    @CsvSource({
        "0, 0", "4000, 4000", "4k, 4096", "4K, 4096", "1m, 1048576", "1M, 1048576", "1g, 1073741824",
        "16M, 16777216",
    })
    void sizesTakeBinarySuffixes(String text, long bytes) {
        assertThat(Units.size(text)).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "\"{0}\" is not a size")
    @ValueSource(strings = {"", "k", "-1", "1.5k", "4kb", "1t", "abc", " 1", "99999999999999999999", "9999999999g"})
    void malformedSizesAreRejected(String text) {
        assertThatThrownBy(() -> Units.size(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} is {1} ms")
    @CsvSource({
        "0, 0", "30, 30000", "30s, 30000", "500ms, 500", "1m, 60000", "1h, 3600000", "1d, 86400000",
        "1w, 604800000", "1M, 2592000000", "1y, 31536000000", "1m30s, 90000", "1h 30m, 5400000", "1s500ms, 1500",
        "1m30, 90000",
    })
    void timesTakeNginxUnits(String text, long millis) {
        assertThat(Units.time(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest(name = "\"{0}\" is not a time")
    @ValueSource(strings = {"", " ", "s", "ms", "-1s", "1.5s", "30x", "30sec", "30s1m", "1s1s", "1ms5s", "1m 1m",
        "99999999999999999999", "999999999999y"})
    void malformedTimesAreRejected(String text) {
        assertThatThrownBy(() -> Units.time(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "\"{0}\" is not a flag")
    @ValueSource(strings = {"", "ON", "Off", "yes", "1", "true"})
    void flagsAreOnlyOnOrOff(String text) {
        assertThatThrownBy(() -> Units.flag(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({"on, true", "off, false"})
    void onAndOffAreFlags(String text, boolean value) {
        assertThat(Units.flag(text)).isEqualTo(value);
    }
}
