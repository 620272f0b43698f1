package onair.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Golden rewrites of single-track multitrack video packets into the plain tags players without multitrack read. */
class PlainTagTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            an AVC SequenceStart becomes a legacy AVC sequence header  | 96 00 61766331 01 01640028       | 17 00 000000 01640028
            an AVC keyframe keeps its composition time                 | 96 01 61766331 01 000050 0000000165 | 17 01 000050 0000000165
            an AVC CodedFramesX inter frame gets composition time 0    | a6 03 61766331 02 0000000141     | 27 01 000000 0000000141
            an AVC end of sequence                                     | 96 02 61766331 01                | 17 02 000000
            a ManyTracks packet of one AVC track                       | a6 13 61766331 01 000004 00000141 | 27 01 000000 00000141
            an HEVC keyframe becomes an Enhanced RTMP v1 tag           | 96 01 68766331 01 000000 2601    | 91 68766331 000000 2601
            an HEVC SequenceStart                                      | 96 00 68766331 01 01             | 90 68766331 01
            """)
    void aSingleTrackPacketBecomesThePlainTagOfItsCodec(String name, String multitrack, String plain) {
        ByteBuf body = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(multitrack.replace(" ", "")));
        ByteBuf rewritten = PlainTag.video(body, ByteBufAllocator.DEFAULT);
        try {
            assertThat(ByteBufUtil.hexDump(rewritten)).isEqualTo(plain.replace(" ", ""));
        } finally {
            rewritten.release();
            body.release();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a packet of two tracks          | 96 11 61766331 00 000001 65 01 000001 65
            a plain Enhanced RTMP tag       | 91 68766331 000000 26
            a legacy AVC tag                | 17 01 000000 65
            a malformed multitrack packet   | 96 31 61766331
            an AVC metadata packet          | 96 04 61766331 01 00
            """)
    void whatHasNoSingleTrackIsNotRewritten(String name, String body) {
        ByteBuf buffer = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(body.replace(" ", "")));

        assertThat(PlainTag.video(buffer, ByteBufAllocator.DEFAULT)).isNull();
        assertThat(buffer.release()).isTrue();
    }
}
