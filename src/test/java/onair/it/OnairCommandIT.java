package onair.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged {@code onair} command as an operator runs it: flags, config checks and exit codes like nginx. */
class OnairCommandIT {

    @Test
    void versionFlagPrintsTheVersion() throws Exception {
        Result result = OnairProcess.run("-v");

        assertThat(result.exitCode()).isZero();
        assertThat(result.output()).contains("onair version: onair/");
    }

    @Test
    void testFlagAcceptsTheSeedBlockInsideADistributionNginxConf(@TempDir Path etc) throws Exception {
        String stock = Files.readString(Path.of("src/test/resources/config/debian12-nginx.conf"));
        assertThat(stock).contains("events {", "http {", "rtmp {", "chunk_size 4000;", "live on;");
        Path conf = Files.writeString(etc.resolve("nginx.conf"), stock.replace("/etc/nginx/", etc + "/"));

        Result result = OnairProcess.run("-t", "-c", conf.toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("syntax is ok", "test is successful");
    }

    @Test
    void testFlagRejectsAMalformedFileNamingFileAndLine(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("broken.conf");
        Files.writeString(conf, "rtmp {\n  server {\n    listen 1935;\n    chunk_size abc;\n  }\n}\n");

        Result result = OnairProcess.run("-t", "-c", conf.toString());

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains(conf + ":4", "chunk_size", "test failed");
    }

    @Test
    void unsupportedDirectivesAreRefusedNotIgnored(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("playlist.conf");
        Files.writeString(conf, "rtmp {\n server {\n  listen 1935;\n  application live {\n   live on;\n"
                + "   on_playlist http://127.0.0.1:8080/playlist;\n  }\n }\n}\n");

        Result result = OnairProcess.run("-t", "-c", conf.toString());

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains(conf + ":6", "\"on_playlist\"", "not supported yet");
    }

    @Test
    void signalWithoutARunningServerNamesTheMissingPidFile(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("onair.conf");
        Path pid = dir.resolve("onair.pid");
        Files.writeString(conf, "pid onair.pid;\nrtmp { server { listen 1935; application live { live on; } } }\n");

        Result result = OnairProcess.run("-s", "reload", "-c", conf.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.output()).contains("cannot read pid file \"" + pid + "\"");
    }

    record Result(int exitCode, String output) {
    }

    /** Runs the packaged server jar with the JDK running the tests. */
    static final class OnairProcess {

        static Result run(String... args) throws IOException, InterruptedException {
            Process process = start(args);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("onair " + String.join(" ", args) + " did not exit within 60 s");
            }
            String output = new String(process.getInputStream().readAllBytes());
            return new Result(process.exitValue(), output);
        }

        static Process start(String... args) throws IOException {
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.add("-jar");
            command.add(jar().toString());
            command.addAll(List.of(args));
            return new ProcessBuilder(command).redirectErrorStream(true).start();
        }

        static Path jar() throws IOException {
            try (var files = Files.list(Path.of("target"))) {
                return files.filter(p -> p.getFileName().toString().matches("onair-.*-server\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("target/onair-*-server.jar missing: run ./mvnw verify"));
            }
        }
    }
}
