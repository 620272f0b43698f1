package onair.flv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** FLV framing against hand-assembled bytes (FLV spec §E.2, §E.3). */
class FlvTest {

    @Test
    void theHeaderAnnouncesTheTracksAndEndsWithPreviousTagSize0() {
        ByteBuf out = Unpooled.buffer();
        Flv.writeHeader(out, true, false);

        assertThat(ByteBufUtil.hexDump(out)).isEqualTo("464c5601" + "04" + "00000009" + "00000000");
        assertThat(out.readableBytes()).isEqualTo(Flv.HEADER_SIZE);
    }

    @Test
    void aTagSplitsItsTimestampIntoLowBitsAndTheExtensionByteAndEndsWithItsSize() {
        ByteBuf body = Unpooled.wrappedBuffer(new byte[] {0x17, 0x01, 0x02});
        body.readerIndex(1);
        ByteBuf out = Unpooled.buffer();
        Flv.writeTag(out, 9, 0x12345678, body);

        assertThat(ByteBufUtil.hexDump(out)).isEqualTo("09" + "000002" + "345678" + "12" + "000000" + "0102" + "0000000d");
        assertThat(out.readableBytes()).isEqualTo(Flv.tagSize(2));
        assertThat(body.readerIndex()).as("the body's indexes are left alone").isEqualTo(1);
        assertThat(Flv.timestamp(out, 0)).isEqualTo(0x12345678);
    }
}
