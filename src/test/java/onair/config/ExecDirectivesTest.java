package onair.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code exec*} directives bound from configuration text, with nginx-rtmp's contexts and inheritance. */
class ExecDirectivesTest {

    private static ExecConfig exec(String text) {
        return ServerConfig.parse(text, "t.conf").application("a").orElseThrow().exec();
    }

    private static List<String> lines(ExecConfig config, ExecConfig.Kind kind) {
        return config.commands(kind).stream().map(ExecConfig.Command::toString).toList();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            exec ffmpeg -i x;              | PUSH
            exec_push ffmpeg -i x;         | PUSH
            exec_pull ffmpeg -i x;         | PULL
            exec_static ffmpeg -i x;       | STATIC
            exec_publish ffmpeg -i x;      | PUBLISH
            exec_publish_done ffmpeg -i x; | PUBLISH_DONE
            exec_play ffmpeg -i x;         | PLAY
            exec_play_done ffmpeg -i x;    | PLAY_DONE
            exec_record_done ffmpeg -i x;  | RECORD_DONE
            """)
    void everyCommandDirectiveIsAcceptedInEveryContext(String directive, ExecConfig.Kind kind) {
        for (String text : List.of("rtmp { " + directive + " server { listen 1; application a { } } }",
                "rtmp { server { listen 1; " + directive + " application a { } } }",
                "rtmp { server { listen 1; application a { " + directive + " } } }")) {
            ExecConfig config = exec(text);

            assertThat(config.commands()).containsOnlyKeys(kind);
            assertThat(lines(config, kind)).containsExactly("ffmpeg -i x");
        }
    }

    @Test
    void theApplicationsLinesComeBeforeThoseItInherits() {
        ExecConfig config = exec("""
                rtmp {
                    exec rtmp-level;
                    server {
                        listen 1;
                        exec server-level;
                        application a { exec app-first; exec app-second; exec_play play; }
                        application b { exec other-app; }
                    }
                }
                """);

        assertThat(lines(config, ExecConfig.Kind.PUSH))
            .containsExactly("app-first", "app-second", "server-level", "rtmp-level");
        assertThat(lines(config, ExecConfig.Kind.PLAY)).containsExactly("play");
    }

    @Test
    void execOptionsAppliesToTheLinesAfterIt() {
        ExecConfig config = exec("""
                rtmp { server { listen 1; application a {
                    exec before name=cam1;
                    exec_options on;
                    exec after name=cam1;
                    exec_options off;
                    exec last name=cam1;
                } } }
                """);

        List<ExecConfig.Command> push = config.commands(ExecConfig.Kind.PUSH);
        assertThat(push).extracting(ExecConfig.Command::names)
            .containsExactly(Set.of(), Set.of("cam1"), Set.of());
        assertThat(push).extracting(ExecConfig.Command::toString)
            .containsExactly("before name=cam1", "after", "last name=cam1");
        assertThat(config.options()).isFalse();
    }

    @Test
    void anInnerBlockStartsWithTheExecOptionsOfItsEnclosingBlocks() {
        ExecConfig config = exec("""
                rtmp { exec_options on; server { listen 1; application a { exec x name=cam1 $name; } } }
                """);

        assertThat(config.commands(ExecConfig.Kind.PUSH).getFirst().names()).containsExactly("cam1");
        assertThat(config.commands(ExecConfig.Kind.PUSH).getFirst().args()).containsExactly("$name");
        assertThat(config.options()).isTrue();
    }

    @Test
    void withoutDirectivesAnApplicationHasNoLinesAndTheDefaults() {
        assertThat(exec("rtmp { server { listen 1; application a { } } }")).isEqualTo(ExecConfig.OFF);
    }

    @Test
    void respawnTimeoutAndKillSignalAreInherited() {
        ExecConfig config = exec("""
                rtmp { respawn off; server { listen 1; respawn_timeout 250ms; exec_kill_signal int;
                    application a { exec x; } application b { respawn on; } } }
                """);

        assertThat(config.respawn()).isFalse();
        assertThat(config.respawnTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.killSignal()).isEqualTo(ExecConfig.KillSignal.parse("INT"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            exec_kill_signal TRAP;          | invalid value "TRAP" in "exec_kill_signal" directive, unknown signal "TRAP": use a number or one of ABRT ALRM CHLD CONT FPE HUP ILL INT KILL PIPE QUIT SEGV STOP TERM TSTP TTIN TTOU USR1 USR2
            exec_kill_signal 99;            | invalid value "99" in "exec_kill_signal" directive, signal number 99 is not between 1 and 64
            exec_kill_signal;               | invalid number of arguments in "exec_kill_signal" directive
            respawn_timeout abc;            | invalid value "abc" in "respawn_timeout" directive
            respawn_timeout 0;              | invalid value "0" in "respawn_timeout" directive, it must be greater than 0
            respawn maybe;                  | invalid value "maybe" in "respawn" directive, it must be "on" or "off"
            exec_options yes;               | invalid value "yes" in "exec_options" directive, it must be "on" or "off"
            exec_options on off;            | invalid number of arguments in "exec_options" directive
            exec;                           | invalid number of arguments in "exec" directive
            exec_pull '';                   | invalid value "" in "exec_pull" directive, exec_pull needs a program to run
            exec_options on; exec x name=;  | invalid value "x name=" in "exec" directive, "name=" needs a stream name
            respawn on; respawn off;        | "respawn" directive is duplicate
            """)
    void badValuesAreConfigErrorsAtTheirLine(String directives, String message) {
        assertThatThrownBy(() -> exec("rtmp { server { listen 1;\napplication a {\n" + directives + "\n} } }"))
            .isInstanceOf(ConfigException.class).hasMessage("t.conf:3: " + message);
    }

    @Test
    void execLinesAreNotAllowedInARecorder() {
        assertThatThrownBy(() -> exec("rtmp { server { listen 1; application a {\nrecorder r { exec x; } } } }"))
            .isInstanceOf(ConfigException.class).hasMessage("t.conf:2: \"exec\" directive is not allowed here");
    }
}
