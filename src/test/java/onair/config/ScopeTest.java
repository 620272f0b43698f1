package onair.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a {@link Scope} binds {@link Setting}s and merges them across blocks, as nginx merges its configurations. */
class ScopeTest {

    private static final Settings TABLE = new Settings();
    private static final Setting<Duration> TIME =
            TABLE.value("time", Context.APPLICATIONS, Duration.ofSeconds(5), Units::positiveTime);
    private static final Setting<List<String>> NAMES =
            TABLE.list(List.of("name", "alias"), Context.APPLICATIONS, 1, 1, d -> d.args().getFirst());

    private final Scope rtmp = Scope.root(block("rtmp"), Context.RTMP);
    private final Scope server = rtmp.child(block("server"), Context.RTMP_SERVER);
    private final Scope app = server.child(block("application", "a"), Context.APPLICATION);

    private static Directive at(int line, String name, String... args) {
        return new Directive(name, List.of(args), null, "t.conf", line);
    }

    private static Directive block(String name, String... args) {
        return new Directive(name, List.of(args), List.of(), "t.conf", 1);
    }

    @Test
    void aBlockWithoutTheSettingTakesTheNearestEnclosingValueThenTheDefault() {
        assertThat(app.get(TIME)).isEqualTo(Duration.ofSeconds(5));
        assertThat(app.where(TIME)).isEmpty();

        rtmp.set(TIME, at(2, "time", "1s"));
        server.set(TIME, at(3, "time", "2s"));

        assertThat(app.get(TIME)).isEqualTo(Duration.ofSeconds(2));
        assertThat(rtmp.get(TIME)).isEqualTo(Duration.ofSeconds(1));
        assertThat(app.own(TIME)).isEmpty();
        assertThat(server.own(TIME)).contains(Duration.ofSeconds(2));
        assertThat(app.where(TIME)).get().extracting(Directive::line).isEqualTo(3);
    }

    @Test
    void aSecondValueInTheSameBlockIsRefusedWithItsLine() {
        server.set(TIME, at(2, "time", "1s"));

        assertThatThrownBy(() -> server.set(TIME, at(3, "time", "2s")))
                .isInstanceOf(ConfigException.class).hasMessage("t.conf:3: \"time\" directive is duplicate");
    }

    @Test
    void valuesAndShapesAreCheckedWithTheDirectiveAndLine() {
        assertThatThrownBy(() -> app.set(TIME, at(4, "time", "0")))
                .hasMessage("t.conf:4: invalid value \"0\" in \"time\" directive, it must be greater than 0");
        assertThatThrownBy(() -> app.set(TIME, at(5, "time", "1s", "2s")))
                .hasMessage("t.conf:5: invalid number of arguments in \"time\" directive");
        assertThatThrownBy(() -> app.set(TIME, new Directive("time", List.of("1s"), List.of(), "t.conf", 6)))
                .hasMessage("t.conf:6: directive \"time\" is not terminated by \";\"");
    }

    @Test
    void aRepeatedSettingCollectsUnderEveryNameAndAnInnerBlockReplacesTheInheritedList() {
        rtmp.set(NAMES, at(2, "name", "outer"));
        app.set(NAMES, at(3, "name", "x"));
        app.set(NAMES, at(4, "alias", "y"));

        assertThat(server.get(NAMES)).containsExactly("outer");
        assertThat(app.get(NAMES)).containsExactly("x", "y");
        assertThat(app.collect(NAMES)).containsExactly("x", "y", "outer");
    }

    @Test
    void childBlocksKeepTheirOrderAndName() {
        Scope second = app.child(block("recorder", "b"), Context.RECORDER);

        assertThat(app.children()).containsExactly(second);
        assertThat(second.name()).isEqualTo("b");
        assertThat(second.context()).isEqualTo(Context.RECORDER);
    }
}
