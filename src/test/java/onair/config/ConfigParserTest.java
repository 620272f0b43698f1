package onair.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigParserTest {

    @TempDir
    Path dir;

    private static List<String> args(String text) {
        return ConfigParser.parse(text, "t.conf").getFirst().args();
    }

    static Stream<Arguments> words() {
        return Stream.of(
                Arguments.of("d a b  c;", List.of("a", "b", "c")),
                Arguments.of("d \"a b\" 'c d';", List.of("a b", "c d")),
                Arguments.of("d \"a\\\"b\" 'c\\'d';", List.of("a\"b", "c'd")),
                Arguments.of("d \"\\t\\n\\r\\\\\";", List.of("\t\n\r\\")),
                Arguments.of("d \"\\d\";", List.of("\\d")),
                Arguments.of("d a\\;b;", List.of("a\\;b")),
                Arguments.of("d \"\";", List.of("")),
                Arguments.of("d $name ${app}x;", List.of("$name", "${app}x")),
                Arguments.of("d a#b;", List.of("a#b")),
                Arguments.of("d a; # comment ; {", List.of("a")),
                Arguments.of("d 'multi\nline';", List.of("multi\nline")),
                Arguments.of("d\ta\r\nb;", List.of("a", "b")),
                Arguments.of("d ($request_method = 'OPTIONS');", List.of("($request_method", "=", "OPTIONS", ")")),
                Arguments.of("d \"a\")b;", List.of("a", ")b")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("words")
    void wordsQuotesEscapesAndVariablesBecomeArguments(String text, List<String> expected) {
        assertThat(args(text)).isEqualTo(expected);
    }

    @Test
    void blocksNestAndEveryDirectiveKnowsItsFileAndLine() {
        List<Directive> tree = ConfigParser.parse("""
                # header
                rtmp {
                    server {
                        listen 1935;
                    }
                }
                user x;
                """, "/etc/onair.conf");

        assertThat(tree).hasSize(2);
        Directive rtmp = tree.getFirst();
        assertThat(rtmp.name()).isEqualTo("rtmp");
        assertThat(rtmp.args()).isEmpty();
        Directive listen = rtmp.block().getFirst().block().getFirst();
        assertThat(listen).isEqualTo(new Directive("listen", List.of("1935"), null, "/etc/onair.conf", 4));
        assertThat(listen.location()).isEqualTo("/etc/onair.conf:4");
        assertThat(tree.get(1).block()).isNull();
        assertThat(tree.get(1).line()).isEqualTo(7);
    }

    @Test
    void anEmptyBlockIsAnEmptyListAndNotNull() {
        assertThat(ConfigParser.parse("events {}", "t.conf").getFirst().block()).isEmpty();
    }

    @Test
    void aDirectiveSpanningLinesStartsOnItsFirstLine() {
        Directive d = ConfigParser.parse("\n\nchunk_size\n  4000\n;", "t.conf").getFirst();
        assertThat(d.line()).isEqualTo(3);
        assertThat(d.args()).containsExactly("4000");
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("a;\n}", "t.conf:2: unexpected \"}\""),
                Arguments.of("a {\n}\n}\n", "t.conf:3: unexpected \"}\""),
                Arguments.of("rtmp {\n  chunk_size 4000\n}", "t.conf:2: directive \"chunk_size\" is not terminated by \";\""),
                Arguments.of("chunk_size 4000", "t.conf:1: directive \"chunk_size\" is not terminated by \";\""),
                Arguments.of("rtmp {\n  server {\n", "t.conf:3: unexpected end of file, expecting \"}\""),
                Arguments.of("rtmp {\n ;\n}", "t.conf:2: unexpected \";\""),
                Arguments.of("{ }", "t.conf:1: unexpected \"{\""),
                Arguments.of("a \"b;\n", "t.conf:2: unexpected end of file, expecting a closing \""),
                Arguments.of("a \"b\"c;", "t.conf:1: unexpected \"c\""),
                Arguments.of("include;", "t.conf:1: invalid number of arguments in \"include\" directive"),
                Arguments.of("include a b;", "t.conf:1: invalid number of arguments in \"include\" directive"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("errors")
    void syntaxErrorsNameTheFileAndLine(String text, String message) {
        assertThatThrownBy(() -> ConfigParser.parse(text, "t.conf"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }

    @Test
    void anIncludeIsResolvedNextToTheIncludingFileAndSplicedInPlace() throws IOException {
        Files.createDirectories(dir.resolve("conf.d"));
        Files.writeString(dir.resolve("conf.d/apps.inc"), "application a { }\napplication b { }\n");
        Path main = Files.writeString(dir.resolve("main.conf"), "server {\n  listen 1;\n  include conf.d/apps.inc;\n  ping 1;\n}\n");

        List<Directive> server = ConfigParser.parse(main).getFirst().block();

        assertThat(server).extracting(Directive::name).containsExactly("listen", "application", "application", "ping");
        assertThat(server.get(2).file()).isEqualTo(dir.resolve("conf.d/apps.inc").toString());
        assertThat(server.get(2).line()).isEqualTo(2);
    }

    @Test
    void aGlobIncludesMatchingFilesInNameOrderAndSkipsHiddenOnes() throws IOException {
        Files.createDirectories(dir.resolve("sites"));
        Files.writeString(dir.resolve("sites/b.conf"), "b;");
        Files.writeString(dir.resolve("sites/a.conf"), "a;");
        Files.writeString(dir.resolve("sites/.hidden.conf"), "hidden;");
        Files.writeString(dir.resolve("sites/c.txt"), "c;");
        Path main = Files.writeString(dir.resolve("main.conf"), "include sites/*.conf; include sites/?.txt;");

        assertThat(ConfigParser.parse(main)).extracting(Directive::name).containsExactly("a", "b", "c");
    }

    @Test
    void aGlobWithWildcardDirectoriesWalksEachLevel() throws IOException {
        Files.createDirectories(dir.resolve("x1/in"));
        Files.createDirectories(dir.resolve("x2/in"));
        Files.writeString(dir.resolve("x1/in/f.conf"), "one;");
        Files.writeString(dir.resolve("x2/in/f.conf"), "two;");
        Path main = Files.writeString(dir.resolve("main.conf"), "include x*/in/*.conf;");

        assertThat(ConfigParser.parse(main)).extracting(Directive::name).containsExactly("one", "two");
    }

    @Test
    void aGlobMatchingNothingIncludesNothing() throws IOException {
        Path main = Files.writeString(dir.resolve("main.conf"), "include none/*.conf;\nlast;");
        assertThat(ConfigParser.parse(main)).extracting(Directive::name).containsExactly("last");
    }

    @Test
    void aMissingIncludedFileIsAnErrorAtTheIncludeLine() throws IOException {
        Path main = Files.writeString(dir.resolve("main.conf"), "a;\ninclude missing.conf;");
        assertThatThrownBy(() -> ConfigParser.parse(main))
                .hasMessage(main + ":2: open() \"" + dir.resolve("missing.conf") + "\" failed (No such file or directory)");
    }

    @Test
    void aMissingMainFileIsAnError() {
        Path missing = dir.resolve("nope.conf");
        assertThatThrownBy(() -> ConfigParser.parse(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessage("open() \"" + missing + "\" failed (No such file or directory)");
    }

    @Test
    void errorsInsideAnIncludedFileNameThatFile() throws IOException {
        Path inc = Files.writeString(dir.resolve("bad.inc"), "ok;\nbroken }\n");
        Path main = Files.writeString(dir.resolve("main.conf"), "rtmp {\ninclude bad.inc;\n}");
        assertThatThrownBy(() -> ConfigParser.parse(main))
                .hasMessage(inc + ":2: directive \"broken\" is not terminated by \";\"");
    }

    @Test
    void anIncludedFileMustCloseItsOwnBlocks() throws IOException {
        Path inc = Files.writeString(dir.resolve("close.inc"), "}\n");
        Path main = Files.writeString(dir.resolve("main.conf"), "rtmp {\ninclude close.inc;\n");
        assertThatThrownBy(() -> ConfigParser.parse(main)).hasMessage(inc + ":1: unexpected \"}\"");
    }

    @Test
    void aFileThatIncludesItselfIsAnError() throws IOException {
        Path main = Files.writeString(dir.resolve("main.conf"), "a;\ninclude main.conf;");
        assertThatThrownBy(() -> ConfigParser.parse(main))
                .hasMessage(main + ":2: \"" + main + "\" includes itself");
    }

    @Test
    void includesInsideTopLevelBlocksAreFollowedOnlyWhereAsked() throws IOException {
        Files.writeString(dir.resolve("in.conf"), "inner;");
        Path main = Files.writeString(dir.resolve("main.conf"),
                "include in.conf;\nhttp { include in.conf; include /nonexistent/mime.types; }\nrtmp { include in.conf; }");

        List<Directive> tree = ConfigParser.parse(main, "rtmp"::equals);

        assertThat(tree).extracting(Directive::name).containsExactly("inner", "http", "rtmp");
        assertThat(tree.get(1).block()).extracting(Directive::name).containsExactly("include", "include");
        assertThat(tree.get(2).block()).extracting(Directive::name).containsExactly("inner");
    }
}
