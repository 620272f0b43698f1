package onair.exec;

import onair.config.ExecConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class InvocationTest {

    private static final Map<String, String> VARIABLES = Map.of("name", "cam", "app", "src");
    private static final Invocation.Log LOG = new Invocation.Log();

    private static Invocation invocation(String... line) {
        return Invocation.of(command(line), VARIABLES);
    }

    private static ExecConfig.Command command(String... line) {
        return ExecConfig.Command.parse(ExecConfig.Kind.PUSH, Arrays.asList(line), false);
    }

    private static Invocation.ToFile file(String path, boolean append) {
        return new Invocation.ToFile(Path.of(path), append);
    }

    @Test
    void argumentsAreEvaluatedOneByOneAndTheProgramIsUsedAsWritten() {
        Invocation invocation = invocation("$name", "-i", "rtmp://localhost/$app/$name", "two words", "$name_low");

        assertThat(invocation.argv()).containsExactly("$name", "-i", "rtmp://localhost/src/cam", "two words",
            "cam_low");
        assertThat(invocation.stdin()).isNull();
        assertThat(invocation.stdout()).isEqualTo(LOG);
        assertThat(invocation.stderr()).isEqualTo(LOG);
        assertThat(invocation.stderrToStdout()).isFalse();
        assertThat(invocation.ignored()).isEmpty();
        assertThat(invocation.commandLine()).isEqualTo("$name -i rtmp://localhost/src/cam two words cam_low");
    }

    record Case(List<String> args, List<String> argv, Path stdin, Invocation.Output stdout,
            Invocation.Output stderr, boolean shared, int ignored) {
    }

    @Test
    void redirectsAreTakenOutOfTheArgumentsAndAppliedInOrder() {
        List<Case> cases = List.of(
            new Case(List.of(">/tmp/o"), List.of(), null, file("/tmp/o", false), LOG, false, 0),
            new Case(List.of("1>/tmp/o"), List.of(), null, file("/tmp/o", false), LOG, false, 0),
            new Case(List.of(">>/tmp/o"), List.of(), null, file("/tmp/o", true), LOG, false, 0),
            new Case(List.of("2>>/tmp/$name.log"), List.of(), null, LOG, file("/tmp/cam.log", true), false, 0),
            new Case(List.of("</tmp/i", "x"), List.of("x"), Path.of("/tmp/i"), LOG, LOG, false, 0),
            new Case(List.of("0</tmp/i"), List.of(), Path.of("/tmp/i"), LOG, LOG, false, 0),
            new Case(List.of(">/tmp/o", "2>&1"), List.of(), null, file("/tmp/o", false), file("/tmp/o", false),
                true, 0),
            new Case(List.of("2>&1", ">/tmp/o"), List.of(), null, file("/tmp/o", false), LOG, false, 0),
            new Case(List.of("2>/tmp/e", "1>&2"), List.of(), null, file("/tmp/e", false), file("/tmp/e", false),
                true, 0),
            new Case(List.of(">/tmp/o", "2>&1", "2>/tmp/e"), List.of(), null, file("/tmp/o", false),
                file("/tmp/e", false), false, 0),
            new Case(List.of("1>&1"), List.of(), null, LOG, LOG, false, 0),
            new Case(List.of("3>/tmp/x"), List.of(), null, LOG, LOG, false, 1),
            new Case(List.of("0>/tmp/x"), List.of(), null, LOG, LOG, false, 1),
            new Case(List.of("1</tmp/x"), List.of(), null, LOG, LOG, false, 1),
            new Case(List.of("2>&0"), List.of(), null, LOG, LOG, false, 1),
            new Case(List.of("2>&x"), List.of(), null, LOG, LOG, false, 1),
            new Case(List.of(">"), List.of(), null, LOG, LOG, false, 1),
            new Case(List.of("a>b", "-vf", "x<y", "12", "-"), List.of("a>b", "-vf", "x<y", "12", "-"), null, LOG,
                LOG, false, 0));
        for (Case c : cases) {
            List<String> line = new ArrayList<>(List.of("prog"));
            line.addAll(c.args());
            Invocation invocation = invocation(line.toArray(String[]::new));
            List<String> argv = new ArrayList<>(List.of("prog"));
            argv.addAll(c.argv());
            assertThat(invocation.argv()).as("argv of %s", c.args()).isEqualTo(argv);
            assertThat(invocation.stdin()).as("stdin of %s", c.args()).isEqualTo(c.stdin());
            assertThat(invocation.stdout()).as("stdout of %s", c.args()).isEqualTo(c.stdout());
            assertThat(invocation.stderr()).as("stderr of %s", c.args()).isEqualTo(c.stderr());
            assertThat(invocation.stderrToStdout()).as("shared of %s", c.args()).isEqualTo(c.shared());
            assertThat(invocation.ignored()).as("ignored of %s", c.args()).hasSize(c.ignored());
        }
    }

    @Test
    void anIgnoredRedirectSaysWhy() {
        assertThat(invocation("prog", "3>/tmp/x", ">").ignored()).containsExactly(
            "3>/tmp/x: only stdin can be read from and only stdout and stderr written to",
            ">: no file name");
    }

    @Test
    void staticLinesKeepTheirVariablesButNotTheirRedirects() {
        Invocation invocation = Invocation.literal(command("prog", "$name", "\\x", ">/tmp/$name"));

        assertThat(invocation.argv()).containsExactly("prog", "$name", "\\x");
        assertThat(invocation.stdout()).isEqualTo(file("/tmp/$name", false));
    }

    @Test
    void theProcessBuilderRunsTheVectorWithoutAShell() {
        ProcessBuilder builder = invocation("prog", "a b", "</tmp/i", ">>/tmp/o", "2>&1").processBuilder();

        assertThat(builder.command()).containsExactly("prog", "a b");
        assertThat(builder.redirectInput().file()).isEqualTo(Path.of("/tmp/i").toFile());
        assertThat(builder.redirectOutput().type()).isEqualTo(ProcessBuilder.Redirect.Type.APPEND);
        assertThat(builder.redirectOutput().file()).isEqualTo(Path.of("/tmp/o").toFile());
        assertThat(builder.redirectErrorStream()).isTrue();
    }

    @Test
    void unredirectedStreamsArePipedToTheLogAndStdinIsEmpty() {
        ProcessBuilder builder = invocation("prog").processBuilder();

        assertThat(builder.redirectInput().file()).isEqualTo(Path.of("/dev/null").toFile());
        assertThat(builder.redirectOutput()).isEqualTo(ProcessBuilder.Redirect.PIPE);
        assertThat(builder.redirectError()).isEqualTo(ProcessBuilder.Redirect.PIPE);
        assertThat(builder.redirectErrorStream()).isFalse();
    }

    @Test
    void theRtmpOutputsAreTheUrlsThatAreNotInputs() {
        Invocation ladder = invocation("ffmpeg", "-i", "rtmp://127.0.0.1:1935/src/$name", "-c:v", "libx264",
            "-f", "flv", "rtmp://127.0.0.1:1935/hls/$name_low", "-f", "flv", "rtmps://example.com/hls/${name}_hi",
            "-i", "rtmp://elsewhere/x", "out.flv");

        assertThat(ladder.rtmpOutputs()).containsExactly("rtmp://127.0.0.1:1935/hls/cam_low",
            "rtmps://example.com/hls/cam_hi");
        assertThat(invocation("rtmp://program/is/not/an/output").rtmpOutputs()).isEmpty();
    }
}
