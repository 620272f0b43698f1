package onair.amf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class Amf0Test {

    static final String FFMPEG_CONNECT_OBJECT = "03"
        + "0003 617070 0200 046c697665"
        + "0004 74797065 02000a 6e6f6e70726976617465"
        + "0008 666c617368566572 020023 464d4c452f332e302028636f6d70617469626c653b204c61766636312e312e31303029"
        + "0005 746355726c 02001a 72746d703a2f2f3132372e302e302e313a313933352f6c697665"
        + "000009";

    static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    static Map<String, Object> ffmpegConnectObject() {
        return object("app", "live", "type", "nonprivate", "flashVer", "FMLE/3.0 (compatible; Lavf61.1.100)",
            "tcUrl", "rtmp://127.0.0.1:1935/live");
    }

    static Stream<Arguments> goldenVectors() {
        return Stream.of(
            arguments("number 1", "00 3ff0000000000000", 1.0),
            arguments("number -0.5", "00 bfe0000000000000", -0.5),
            arguments("boolean true", "01 01", true),
            arguments("boolean false", "01 00", false),
            arguments("string", "02 0004 6c697665", "live"),
            arguments("empty string", "02 0000", ""),
            arguments("utf-8 string", "02 0002 c3a9", "é"),
            arguments("object", "03 0003 617070 02 0004 6c697665 0000 09", object("app", "live")),
            arguments("empty object", "03 0000 09", object()),
            arguments("null", "05", null),
            arguments("undefined", "06", Amf0.UNDEFINED),
            arguments("ecma array", "08 00000001 0008 6475726174696f6e 00 0000000000000000 0000 09",
                new EcmaArray(object("duration", 0.0))),
            arguments("strict array", "0a 00000002 00 3ff0000000000000 02 0001 61", List.of(1.0, "a")),
            arguments("nested strict array with null", "0a 00000001 0a 00000001 05",
                List.of(Arrays.asList((Object) null))),
            arguments("date", "0b 426d1a94a2000000 0000", new AmfDate(1e12, 0)),
            arguments("typed object", "10 0003 466f6f 0001 78 00 3ff0000000000000 0000 09",
                new TypedObject("Foo", object("x", 1.0))),
            arguments("ffmpeg connect command object", FFMPEG_CONNECT_OBJECT, ffmpegConnectObject()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenVectors")
    void readDecodesTheGoldenVector(String name, String hex, Object value) {
        ByteBuf in = hex(hex);
        try {
            Object decoded = Amf0.read(in);
            assertThat(decoded).isEqualTo(value);
            assertThat(String.valueOf(decoded)).isEqualTo(String.valueOf(value));
            assertThat(in.isReadable()).isFalse();
        } finally {
            in.release();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenVectors")
    void writeEncodesTheGoldenVector(String name, String hex, Object value) {
        ByteBuf out = Unpooled.buffer();
        try {
            Amf0.write(out, value);
            assertThat(ByteBufUtil.hexDump(out)).isEqualTo(hex.replace(" ", ""));
        } finally {
            out.release();
        }
    }

    static Stream<Arguments> readOnlyVectors() {
        return Stream.of(
            arguments("long string marker for a short string", "0c 00000002 6869", "hi"),
            arguments("xml document", "0f 00000004 3c612f3e", "<a/>"),
            arguments("unsupported marker", "0d", Amf0.UNDEFINED),
            arguments("avmplus switch to an AMF3 string", "11 06 07 616263", "abc"),
            arguments("avmplus switch to an AMF3 integer", "11 04 7f", 127.0),
            arguments("object with an empty-named member", "03 0000 01 01 0000 09", object("", true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readOnlyVectors")
    void readAcceptsEveryMarkerWritersUse(String name, String hex, Object value) {
        ByteBuf in = hex(hex);
        try {
            assertThat(Amf0.read(in)).isEqualTo(value);
            assertThat(in.isReadable()).isFalse();
        } finally {
            in.release();
        }
    }

    @Test
    void referenceResolvesToTheSameInstanceReadEarlierInTheMessage() {
        ByteBuf in = hex("03 0001 61 05 0000 09  0a 00000001 07 0000");
        try {
            List<Object> values = Amf0.readAll(in);
            assertThat(values).hasSize(2);
            assertThat(((List<?>) values.get(1)).get(0)).isSameAs(values.get(0));
        } finally {
            in.release();
        }
    }

    @Test
    void readAllReadsEveryValueUntilTheBufferEnds() {
        ByteBuf in = hex("02 0007 636f6e6e656374 00 3ff0000000000000 " + FFMPEG_CONNECT_OBJECT);
        try {
            List<Object> values = Amf0.readAll(in);
            assertThat(values).containsExactly("connect", 1.0, ffmpegConnectObject());
            assertThat(new ArrayList<Object>(((Map<?, ?>) values.get(2)).keySet())).containsExactly("app", "type", "flashVer", "tcUrl");
        } finally {
            in.release();
        }
    }

    @Test
    void writeAllWritesValuesBackToBack() {
        ByteBuf out = Unpooled.buffer();
        try {
            Amf0.writeAll(out, "live", null, 2);
            assertThat(ByteBufUtil.hexDump(out)).isEqualTo("0200046c69766505" + "004000000000000000");
        } finally {
            out.release();
        }
    }

    @Test
    void stringsLongerThan65535BytesAreWrittenAsLongStringsAndReadBack() {
        String longText = "a".repeat(70_000);
        ByteBuf buf = Unpooled.buffer();
        try {
            Amf0.write(buf, longText);
            assertThat(buf.getUnsignedByte(0)).isEqualTo((short) 0x0c);
            assertThat(buf.getInt(1)).isEqualTo(70_000);
            assertThat(Amf0.read(buf)).isEqualTo(longText);
        } finally {
            buf.release();
        }
    }

    @Test
    void anyNumberIsWrittenAsAnAmf0Number() {
        ByteBuf out = Unpooled.buffer();
        try {
            Amf0.writeAll(out, 3, 3L, 3.0f);
            assertThat(Amf0.readAll(out)).containsExactly(3.0, 3.0, 3.0);
        } finally {
            out.release();
        }
    }

    @Test
    void writingAValueWithNoAmf0TypeIsRejected() {
        ByteBuf out = Unpooled.buffer();
        try {
            assertThatThrownBy(() -> Amf0.write(out, new Object())).isInstanceOf(IllegalArgumentException.class);
        } finally {
            out.release();
        }
    }

    @Test
    void writingACyclicObjectIsRejectedInsteadOfOverflowingTheStack() {
        Map<String, Object> cyclic = new LinkedHashMap<>();
        cyclic.put("self", cyclic);
        ByteBuf out = Unpooled.buffer();
        try {
            assertThatThrownBy(() -> Amf0.write(out, cyclic)).isInstanceOf(IllegalArgumentException.class);
        } finally {
            out.release();
        }
    }

    static Stream<Arguments> malformedVectors() {
        return Stream.of(
            arguments("empty input", ""),
            arguments("truncated number", "00 3ff0"),
            arguments("truncated boolean", "01"),
            arguments("movieclip marker", "04"),
            arguments("recordset marker", "0e"),
            arguments("unknown marker", "12"),
            arguments("string longer than the bytes left", "02 0010 41"),
            arguments("long string with a 4 GB length", "0c ffffffff 41"),
            arguments("xml document with a huge length", "0f 7fffffff"),
            arguments("strict array with a 4 G count", "0a ffffffff 05"),
            arguments("object without an end marker", "03 0001 61 05"),
            arguments("truncated ecma array count", "08 0000"),
            arguments("reference to no object", "07 0000"),
            arguments("truncated date", "0b 426d1a94a2000000"),
            arguments("truncated AMF3 value after the avmplus marker", "11 06 07 61"),
            arguments("strict arrays nested 100 deep", "0a00000001".repeat(100) + "05"),
            arguments("objects nested 100 deep", "03 0001 61".repeat(100) + "05"),
            arguments("object that refers to itself", "03 0001 61 07 0000 0000 09"),
            arguments("strict array that refers to itself", "0a 00000001 07 0000"),
            arguments("references doubling 40 times", "0a 00000029 0a 00000000" + IntStream.rangeClosed(1, 40)
                .mapToObj(k -> "0a 00000002 07 %04x 07 %04x".formatted(k, k)).collect(Collectors.joining())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedVectors")
    void readRejectsMalformedInput(String name, String hex) {
        ByteBuf in = hex(hex);
        try {
            assertThatThrownBy(() -> Amf0.read(in)).isInstanceOf(AmfException.class);
        } finally {
            in.release();
        }
    }

    @Test
    void nestingUpToTheLimitIsAccepted() {
        ByteBuf in = hex("0a00000001".repeat(64) + "05");
        try {
            Object value = Amf0.read(in);
            for (int i = 0; i < 64; i++) {
                value = ((List<?>) value).get(0);
            }
            assertThat(value).isNull();
        } finally {
            in.release();
        }
    }

    @Test
    void readingLeavesTheBytesAfterTheValue() {
        ByteBuf in = hex("05 ff");
        try {
            assertThat(Amf0.read(in)).isNull();
            assertThat(in.readableBytes()).isEqualTo(1);
        } finally {
            in.release();
        }
    }

    static ByteBuf hex(String hex) {
        byte[] bytes = ByteBufUtil.decodeHexDump(hex.replace(" ", ""));
        return Unpooled.buffer(bytes.length).writeBytes(bytes);
    }
}
