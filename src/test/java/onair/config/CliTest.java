package onair.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CliTest {

    static Stream<Arguments> commandLines() {
        Path conf = Path.of("/etc/onair.conf");
        return Stream.of(
                Arguments.of(new String[] {}, new Cli(null, false, false, false, null)),
                Arguments.of(new String[] {"-c", "/etc/onair.conf"}, new Cli(conf, false, false, false, null)),
                Arguments.of(new String[] {"-c/etc/onair.conf"}, new Cli(conf, false, false, false, null)),
                Arguments.of(new String[] {"-t", "-c", "/etc/onair.conf"}, new Cli(conf, true, false, false, null)),
                Arguments.of(new String[] {"-tc", "/etc/onair.conf"}, new Cli(conf, true, false, false, null)),
                Arguments.of(new String[] {"-t"}, new Cli(null, true, false, false, null)),
                Arguments.of(new String[] {"-v"}, new Cli(null, false, true, false, null)),
                Arguments.of(new String[] {"-V"}, new Cli(null, false, true, false, null)),
                Arguments.of(new String[] {"-h"}, new Cli(null, false, false, true, null)),
                Arguments.of(new String[] {"-?"}, new Cli(null, false, false, true, null)),
                Arguments.of(new String[] {"-vt"}, new Cli(null, true, true, false, null)),
                Arguments.of(new String[] {"-s", "reload", "-c", "/etc/onair.conf"},
                        new Cli(conf, false, false, false, Cli.Signal.RELOAD)),
                Arguments.of(new String[] {"-sstop"}, new Cli(null, false, false, false, Cli.Signal.STOP)),
                Arguments.of(new String[] {"-s", "quit"}, new Cli(null, false, false, false, Cli.Signal.QUIT)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commandLines")
    void flagsAreReadLikeNginx(String[] args, Cli expected) {
        assertThat(Cli.parse(args)).isEqualTo(expected);
    }

    static Stream<Arguments> badCommandLines() {
        return Stream.of(
                Arguments.of(new String[] {"-x"}, "invalid option: \"x\""),
                Arguments.of(new String[] {"-tx"}, "invalid option: \"x\""),
                Arguments.of(new String[] {"file.conf"}, "invalid option: \"file.conf\""),
                Arguments.of(new String[] {"-"}, "invalid option: \"-\""),
                Arguments.of(new String[] {"-c"}, "option \"-c\" requires file name"),
                Arguments.of(new String[] {"-c", ""}, "option \"-c\" requires file name"),
                Arguments.of(new String[] {"-s"}, "option \"-s\" requires parameter"),
                Arguments.of(new String[] {"-s", "restart"}, "invalid option: \"-s restart\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCommandLines")
    void badFlagsAreRejectedWithTheUsage(String[] args, String message) {
        assertThatThrownBy(() -> Cli.parse(args))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message + "\n" + Cli.USAGE);
    }
}
