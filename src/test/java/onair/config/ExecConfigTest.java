package onair.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExecConfigTest {

    @Test
    void aCommandLineIsTheProgramAndItsArgumentTemplates() {
        ExecConfig.Command command = ExecConfig.Command.parse(ExecConfig.Kind.PUSH,
            List.of("ffmpeg", "-i", "rtmp://localhost/src/$name", "-f", "flv", "name=x"), false);

        assertThat(command.program()).isEqualTo("ffmpeg");
        assertThat(command.args()).containsExactly("-i", "rtmp://localhost/src/$name", "-f", "flv", "name=x");
        assertThat(command.names()).isEmpty();
        assertThat(command.appliesTo("anything")).isTrue();
        assertThat(command).hasToString("ffmpeg -i rtmp://localhost/src/$name -f flv name=x");
    }

    @Test
    void withExecOptionsNameArgumentsRestrictTheLineToThoseStreams() {
        ExecConfig.Command command = ExecConfig.Command.parse(ExecConfig.Kind.PUBLISH,
            List.of("notify.sh", "name=cam1", "$name", "name=cam2"), true);

        assertThat(command.args()).containsExactly("$name");
        assertThat(command.names()).containsExactlyInAnyOrder("cam1", "cam2");
        assertThat(command.appliesTo("cam1")).isTrue();
        assertThat(command.appliesTo("cam2")).isTrue();
        assertThat(command.appliesTo("cam3")).isFalse();
    }

    @Test
    void badCommandLinesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> ExecConfig.Command.parse(ExecConfig.Kind.PULL, List.of(), false))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("exec_pull needs a program to run");
        assertThatThrownBy(() -> ExecConfig.Command.parse(ExecConfig.Kind.PUSH, List.of(""), false))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("exec_push needs a program to run");
        assertThatThrownBy(() -> ExecConfig.Command.parse(ExecConfig.Kind.PUSH, List.of("x", "name="), true))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("\"name=\" needs a stream name");
    }

    @ParameterizedTest
    @CsvSource({
        "exec, PUSH", "exec_push, PUSH", "exec_pull, PULL", "exec_static, STATIC", "exec_publish, PUBLISH",
        "exec_publish_done, PUBLISH_DONE", "exec_play, PLAY", "exec_play_done, PLAY_DONE",
        "exec_record_started, RECORD_STARTED", "exec_record_done, RECORD_DONE",
    })
    void everyExecDirectiveNamesItsKind(String directive, ExecConfig.Kind kind) {
        assertThat(ExecConfig.Kind.ofDirective(directive)).isEqualTo(kind);
    }

    @Test
    void onlyPushPullAndStaticChildrenAreManaged() {
        assertThat(ExecConfig.Kind.ofDirective("exec_options")).isNull();
        assertThat(List.of(ExecConfig.Kind.values())).filteredOn(ExecConfig.Kind::managed)
            .containsExactly(ExecConfig.Kind.PUSH, ExecConfig.Kind.PULL, ExecConfig.Kind.STATIC);
    }

    @ParameterizedTest
    @CsvSource({
        "TERM, 15, TERM", "term, 15, TERM", "SIGTERM, 15, TERM", "sigkill, 9, KILL", "KILL, 9, KILL",
        "HUP, 1, HUP", "INT, 2, INT", "QUIT, 3, QUIT", "USR1, 10, USR1", "USR2, 12, USR2", "TTOU, 22, TTOU",
        "15, 15, TERM", "9, 9, KILL", "2, 2, INT", "16, 16, ", "34, 34, ", "64, 64, ",
    })
    void killSignalsAreNamesOrNumbers(String text, int number, String name) {
        assertThat(ExecConfig.KillSignal.parse(text)).isEqualTo(new ExecConfig.KillSignal(number, name));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0|signal number 0 is not between 1 and 64",
        "65|signal number 65 is not between 1 and 64",
        "999|signal number 999 is not between 1 and 64",
        "TRAP|unknown signal \"TRAP\": use a number or one of ABRT ALRM CHLD CONT FPE HUP ILL INT KILL PIPE QUIT"
            + " SEGV STOP TERM TSTP TTIN TTOU USR1 USR2",
        "SIG|unknown signal \"SIG\": use a number or one of ABRT ALRM CHLD CONT FPE HUP ILL INT KILL PIPE QUIT"
            + " SEGV STOP TERM TSTP TTIN TTOU USR1 USR2",
    })
    void badKillSignalsAreRefused(String text, String message) {
        assertThatThrownBy(() -> ExecConfig.KillSignal.parse(text))
            .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void theDefaultsAreNginxRtmpsButForTheKillSignal() {
        assertThat(ExecConfig.OFF.active()).isFalse();
        assertThat(ExecConfig.OFF.respawn()).isTrue();
        assertThat(ExecConfig.OFF.respawnTimeout()).hasSeconds(5);
        assertThat(ExecConfig.OFF.killSignal()).isEqualTo(ExecConfig.KillSignal.TERM);
        assertThat(ExecConfig.OFF.commands(ExecConfig.Kind.PUSH)).isEmpty();
    }

    @Test
    void kindsWithoutLinesAreLeftOut() {
        ExecConfig.Command line = ExecConfig.Command.parse(ExecConfig.Kind.PLAY, List.of("true"), false);
        ExecConfig config = new ExecConfig(Map.of(ExecConfig.Kind.PLAY, List.of(line), ExecConfig.Kind.PUSH,
            List.of()), false, true, ExecConfig.DEFAULT_RESPAWN_TIMEOUT, ExecConfig.KillSignal.TERM);

        assertThat(config.active()).isTrue();
        assertThat(config.commands()).containsOnlyKeys(ExecConfig.Kind.PLAY);
        assertThat(config.commands(ExecConfig.Kind.PLAY)).containsExactly(line);
    }
}
