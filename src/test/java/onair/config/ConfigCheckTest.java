package onair.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCheckTest {

    @TempDir
    Path dir;

    @Test
    void aGoodFileReportsSyntaxOkAndSuccessAfterItsWarnings() throws IOException {
        Path file = Files.writeString(dir.resolve("onair.conf"), "user nobody;\nrtmp { server { listen 1935; } }\n");

        ConfigCheck check = ConfigCheck.of(file);

        assertThat(check.exitCode()).isZero();
        assertThat(check.lines()).containsExactly(
                "onair: [warn] " + file + ":1: directive \"user\" is ignored (not supported yet)",
                "onair: the configuration file " + file + " syntax is ok",
                "onair: configuration file " + file + " test is successful");
    }

    @Test
    void aBadFileReportsTheErrorAndFailure() throws IOException {
        Path file = Files.writeString(dir.resolve("onair.conf"), "rtmp {\n  dash on;\n}\n");

        ConfigCheck check = ConfigCheck.of(file);

        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(check.lines()).containsExactly(
                "onair: [emerg] " + file + ":2: directive \"dash\" is not supported yet",
                "onair: configuration file " + file + " test failed");
    }

    @Test
    void aMissingFileFailsTheTest() {
        Path file = dir.resolve("missing.conf");

        ConfigCheck check = ConfigCheck.of(file);

        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(check.lines()).containsExactly(
                "onair: [emerg] open() \"" + file + "\" failed (No such file or directory)",
                "onair: configuration file " + file + " test failed");
    }
}
