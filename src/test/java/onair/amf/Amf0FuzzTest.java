package onair.amf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Decodes arbitrary bytes as AMF0 and checks that what decodes also survives being encoded again. */
class Amf0FuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyBytesDecodeOrFailWithAmfExceptionAndDecodedValuesReEncodeToTheSameValues(byte[] input) {
        List<Object> values;
        try {
            values = Amf0.readAll(Unpooled.wrappedBuffer(input));
        } catch (AmfException e) {
            return;
        }
        assertThat(values.toString()).isNotNull();
        ByteBuf encoded = Unpooled.buffer();
        try {
            Amf0.writeAll(encoded, values.toArray());
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).containsAnyOf("no AMF0 type for [B", "nested deeper");
            return;
        }
        byte[] first = ByteBufUtil.getBytes(encoded);
        List<Object> again = Amf0.readAll(encoded);
        if (onlyStringKeys(values)) {
            assertThat(again).isEqualTo(values);
        }
        ByteBuf reEncoded = Unpooled.buffer();
        Amf0.writeAll(reEncoded, again.toArray());
        assertThat(ByteBufUtil.getBytes(reEncoded)).isEqualTo(first);
    }

    /** AMF3 dictionaries may have keys of any type, which AMF0 writes as strings. */
    private static boolean onlyStringKeys(Object value) {
        return switch (value) {
            case EcmaArray a -> onlyStringKeys(a.entries());
            case TypedObject t -> onlyStringKeys(t.members());
            case Map<?, ?> m -> m.entrySet().stream()
                .allMatch(e -> e.getKey() instanceof String && onlyStringKeys(e.getValue()));
            case List<?> l -> l.stream().allMatch(Amf0FuzzTest::onlyStringKeys);
            case null, default -> true;
        };
    }
}
