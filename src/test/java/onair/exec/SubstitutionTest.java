package onair.exec;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Golden results of nginx-rtmp's {@code ngx_rtmp_eval}, worked out from its state machine. */
class SubstitutionTest {

    private static final Map<String, String> VARIABLES = Map.of("name", "cam", "app", "src",
        "tcurl", "rtmp://host/src");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', emptyValue = "", value = {
        "$name|cam",
        "$name_low|cam_low",
        "rtmp://127.0.0.1/hls/$name_low|rtmp://127.0.0.1/hls/cam_low",
        "$name2|cam2",
        "$name-hi.flv|cam-hi.flv",
        "${name}low|camlow",
        "${name}_low|cam_low",
        "$app/$name|src/cam",
        "$name$app|camsrc",
        "$$name|cam",
        "$tcurl|rtmp://host/src",
        "$TCURL|''",
        "$unknown|''",
        "x$unknown.y|x.y",
        "$|''",
        "a$|a",
        "$1|1",
        "${}|''",
        "${na me}x|x",
        "${name|''",
        "x${name|x",
        "\\$name|$name",
        "\\\\$name|\\cam",
        "$name\\_x|cam_x",
        "$na\\me|me",
        "trailing\\|trailing",
        "no variables|no variables",
    })
    void variablesAndEscapesAreSubstitutedAsNginxRtmpDoes(String template, String expected) {
        assertThat(Substitution.evaluate(template, VARIABLES)).isEqualTo(expected);
    }
}
