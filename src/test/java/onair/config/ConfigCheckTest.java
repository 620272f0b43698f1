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
        Path file = Files.writeString(dir.resolve("onair.conf"), "rtmp {\n  busy on;\n}\n");

        ConfigCheck check = ConfigCheck.of(file);

        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(check.lines()).containsExactly(
                "onair: [emerg] " + file + ":2: directive \"busy\" is not supported yet",
                "onair: configuration file " + file + " test failed");
    }

    @Test
    void everyRelayDirectiveIsAcceptedAndTheMultiWorkerOnesAreNotedAsNotNeeded() throws IOException {
        String good = """
                rtmp_auto_push on;
                rtmp_auto_push_reconnect 1s;
                rtmp_socket_dir /var/sock;
                rtmp { relay_buffer 3s; push_reconnect 1s; pull_reconnect 2s; session_relay off;
                    server { listen 1935;
                        application a { push rtmp://127.0.0.1/live2/key app=x name=cam playPath=p tcUrl=rtmp://t/x
                                pageUrl=http://p swfUrl=http://s flashVer=F live=1 start=0 stop=5;
                            push rtmps://localhost:4443/app/key;
                            pull rtmp://127.0.0.1:1936/live name=src static; pull rtmp://127.0.0.2/live; } } }
                """;
        Path file = Files.writeString(dir.resolve("onair.conf"), good);

        ConfigCheck check = ConfigCheck.of(file);

        String note = "\" is not needed (one Onair process serves all cores)";
        assertThat(check.exitCode()).isZero();
        assertThat(check.lines()).containsExactly(
                "onair: [warn] " + file + ":1: directive \"rtmp_auto_push" + note,
                "onair: [warn] " + file + ":2: directive \"rtmp_auto_push_reconnect" + note,
                "onair: [warn] " + file + ":3: directive \"rtmp_socket_dir" + note,
                "onair: the configuration file " + file + " syntax is ok",
                "onair: configuration file " + file + " test is successful");
    }

    @Test
    void everyExecDirectiveIsAcceptedAndABadExecValueIsReportedAtItsLine() throws IOException {
        String good = """
                rtmp { exec_options on; respawn on; respawn_timeout 2s; exec_kill_signal SIGINT;
                    exec_static /usr/bin/logger static;
                    server { listen 1935; exec_push ffmpeg -i x name=cam;
                        application a { exec ffmpeg -i rtmp://localhost/a/$name -f flv rtmp://localhost/b/$name_low;
                            exec_pull ffmpeg; exec_publish p $name; exec_publish_done p; exec_play p $addr;
                            exec_play_done p; exec_record_done p $path >>/tmp/done.log; exec_options off; } } }
                """;
        Path file = Files.writeString(dir.resolve("onair.conf"), good);
        assertThat(ConfigCheck.of(file).exitCode()).isZero();

        Files.writeString(file, "rtmp { server { listen 1935;\n  application a { respawn_timeout abc; } } }\n");
        ConfigCheck check = ConfigCheck.of(file);

        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(check.lines()).containsExactly(
                "onair: [emerg] " + file + ":2: invalid value \"abc\" in \"respawn_timeout\" directive",
                "onair: configuration file " + file + " test failed");
    }

    @Test
    void theNginxRtmpDashSnippetIsAcceptedUnchanged() throws IOException {
        Path file = Files.writeString(dir.resolve("onair.conf"), """
                rtmp { server { listen 1935;
                    application live { live on; dash on; dash_path /tmp/dash; dash_fragment 3s; } } }
                """);

        ConfigCheck check = ConfigCheck.of(file);

        assertThat(check.exitCode()).isZero();
        assertThat(check.lines()).containsExactly(
                "onair: the configuration file " + file + " syntax is ok",
                "onair: configuration file " + file + " test is successful");
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
