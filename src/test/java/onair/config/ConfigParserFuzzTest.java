package onair.config;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Parses and binds arbitrary text as an nginx-style configuration. Texts that could name an {@code include} are
 * skipped: they would read arbitrary files of the machine running the fuzzer.
 */
class ConfigParserFuzzTest {

    private static final String FILE = "fuzz.conf";

    @FuzzTest(maxDuration = "60s")
    void anyTextParsesOrFailsWithAConfigExceptionNamingTheFile(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        if (text.contains("include")) {
            return;
        }
        try {
            assertThat(ServerConfig.parse(text, FILE)).isNotNull();
        } catch (ConfigException e) {
            assertThat(e.getMessage()).startsWith(FILE + ":");
        }
    }
}
