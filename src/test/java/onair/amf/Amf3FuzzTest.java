package onair.amf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import static org.assertj.core.api.Assertions.assertThat;

/** Decodes arbitrary bytes as one AMF3 value. */
class Amf3FuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyBytesDecodeToAPrintableValueOrFailWithAmfException(byte[] input) {
        ByteBuf in = Unpooled.wrappedBuffer(input);
        Object value;
        try {
            value = Amf3.read(in);
        } catch (AmfException e) {
            return;
        }
        assertThat(String.valueOf(value)).isNotNull();
        assertThat(in.readerIndex()).isBetween(1, input.length);
    }
}
