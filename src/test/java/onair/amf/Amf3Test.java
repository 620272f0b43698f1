package onair.amf;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static onair.amf.Amf0Test.hex;
import static onair.amf.Amf0Test.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class Amf3Test {

    static Stream<Arguments> goldenVectors() {
        return Stream.of(
            arguments("undefined", "00", Amf0.UNDEFINED),
            arguments("null", "01", null),
            arguments("false", "02", false),
            arguments("true", "03", true),
            arguments("integer 0", "04 00", 0.0),
            arguments("integer 127", "04 7f", 127.0),
            arguments("integer 128", "04 8100", 128.0),
            arguments("integer 16383", "04 ff7f", 16383.0),
            arguments("integer 16384", "04 818000", 16384.0),
            arguments("integer 2^21 - 1", "04 ffff7f", 2097151.0),
            arguments("integer 2^21", "04 80c08000", 2097152.0),
            arguments("largest integer", "04 bfffffff", 268435455.0),
            arguments("integer -1", "04 ffffffff", -1.0),
            arguments("smallest integer", "04 c0808000", -268435456.0),
            arguments("double", "05 3ff8000000000000", 1.5),
            arguments("string", "06 07 616263", "abc"),
            arguments("empty string", "06 01", ""),
            arguments("string reference", "09 05 01 06 07 616263 06 00", List.of("abc", "abc")),
            arguments("empty string is not referenceable", "09 07 01 06 01 06 03 78 06 00", List.of("", "x", "x")),
            arguments("associative array", "09 01 03 61 04 01 01", object("a", 1.0)),
            arguments("mixed array", "09 03 03 61 04 01 01 04 02", object("a", 1.0, "0", 2.0)),
            arguments("anonymous dynamic object", "0a 0b 01 03 61 04 01 01", object("a", 1.0)),
            arguments("sealed objects sharing traits by reference",
                "09 05 01 0a 13 07 466f6f 03 78 04 01 0a 01 04 02", List.of(object("x", 1.0), object("x", 2.0))),
            arguments("sealed and dynamic members", "0a 1b 01 03 78 04 01 03 79 04 02 01", object("x", 1.0, "y", 2.0)),
            arguments("member name taken from the string table", "0a 0b 01 03 61 0a 0b 01 00 04 05 01 01",
                object("a", object("a", 5.0))),
            arguments("date", "08 01 426d1a94a2000000", new AmfDate(1e12, 0)),
            arguments("xml", "0b 09 3c612f3e", "<a/>"),
            arguments("xml document", "07 09 3c612f3e", "<a/>"),
            arguments("byte array", "0c 07 010203", new byte[] {1, 2, 3}),
            arguments("int vector", "0d 05 00 00000001 ffffffff", List.of(1.0, -1.0)),
            arguments("uint vector", "0e 03 01 ffffffff", List.of(4294967295.0)),
            arguments("double vector", "0f 03 00 3ff8000000000000", List.of(1.5)),
            arguments("object vector", "10 05 00 01 06 03 61 01", Arrays.asList("a", null)),
            arguments("dictionary", "11 03 00 04 01 06 03 61", Map.of(1.0, "a")),
            arguments("array collection", "0a 07 43 666c65782e6d6573736167696e672e696f2e4172726179436f6c6c656374696f6e"
                + " 09 03 01 04 07", List.of(7.0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenVectors")
    void readDecodesTheGoldenVector(String name, String hex, Object value) {
        ByteBuf in = hex(hex);
        try {
            assertThat(Amf3.read(in)).isEqualTo(value);
            assertThat(in.isReadable()).isFalse();
        } finally {
            in.release();
        }
    }

    @Test
    void objectReferenceResolvesToTheSameInstance() {
        ByteBuf in = hex("09 05 01 0a 0b 01 01 0a 02");
        try {
            List<?> list = (List<?>) Amf3.read(in);
            assertThat(list).hasSize(2);
            assertThat(list.get(1)).isSameAs(list.get(0));
        } finally {
            in.release();
        }
    }


    @Test
    void eachAvmplusSwitchStartsFreshReferenceTables() {
        ByteBuf in = hex("11 06 07 616263  11 06 00");
        try {
            assertThat(Amf0.read(in)).isEqualTo("abc");
            assertThatThrownBy(() -> Amf0.read(in)).isInstanceOf(AmfException.class);
        } finally {
            in.release();
        }
    }

    static Stream<Arguments> malformedVectors() {
        return Stream.of(
            arguments("empty input", ""),
            arguments("truncated integer", "04 80"),
            arguments("truncated double", "05 3ff8"),
            arguments("unknown marker", "12"),
            arguments("string reference to no string", "06 00"),
            arguments("string with a huge length", "06 ffffffff"),
            arguments("object reference to no object", "0a 02"),
            arguments("traits reference to no traits", "0a 01"),
            arguments("externalizable class that cannot be read", "0a 07 07 466f6f"),
            arguments("array with a huge dense count", "09 ffffffff 01"),
            arguments("byte array longer than the bytes left", "0c 0b 0102"),
            arguments("int vector longer than the bytes left", "0d 09 00 00000001"),
            arguments("object with a huge sealed member count", "0a bfffff73 01"),
            arguments("object without the end of its dynamic members", "0a 0b 01 03 61 04 01"),
            arguments("arrays nested 100 deep", "090301".repeat(100) + "01"),
            arguments("array that refers to itself", "09 03 01 09 00"),
            arguments("dictionary whose key refers to the dictionary", "11 03 00 11 00 01"),
            arguments("array collection that refers to itself", "0a 07 43 666c65782e6d6573736167696e672e696f2e4172726179436f6c6c656374696f6e 0a 00"),
            arguments("references doubling 40 times", "09 53 01 09 01 01" + IntStream.rangeClosed(1, 40)
                .mapToObj(k -> "09 05 01 09 %02x 09 %02x".formatted(k << 1, k << 1)).collect(Collectors.joining())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedVectors")
    void readRejectsMalformedInput(String name, String hex) {
        ByteBuf in = hex(hex);
        try {
            assertThatThrownBy(() -> Amf3.read(in)).isInstanceOf(AmfException.class);
        } finally {
            in.release();
        }
    }
}
