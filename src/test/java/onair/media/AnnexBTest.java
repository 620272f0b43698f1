package onair.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnnexBTest {

    private static final List<byte[]> H264_PARAMETER_SETS = List.of(hex("6764001e"), hex("68ebe3"));
    private static final List<byte[]> HEVC_PARAMETER_SETS = List.of(hex("4001aa"), hex("4201bb"), hex("4401cc"));

    @Test
    void anH264KeyframeGetsADelimiterAndItsParameterSetsBeforeThePictureAndLosesItsOwnDelimiter() {
        assertThat(annexB("00000002" + "09f0" + "00000003" + "06aa80" + "00000003" + "658801", Codec.H264, 4,
            H264_PARAMETER_SETS)).isEqualTo("0000000109f0" + "0000000106aa80" + "000000016764001e"
                + "0000000168ebe3" + "00000001658801");
    }

    @Test
    void aKeyframeCarryingItsOwnParameterSetsGetsNoSecondCopy() {
        assertThat(annexB("0004" + "67640029" + "0002" + "68ee" + "0003" + "658801", Codec.H264, 2,
            H264_PARAMETER_SETS)).isEqualTo("0000000109f0" + "0000000167640029" + "0000000168ee" + "00000001658801");
    }

    @Test
    void aFrameBetweenKeyframesGetsOnlyTheDelimiterAndEmptyUnitsAreSkipped() {
        assertThat(annexB("00" + "03419a02" + "00", Codec.H264, 1, List.of()))
            .isEqualTo("0000000109f0" + "00000001419a02");
    }

    @Test
    void anHevcKeyframeGetsItsVpsSpsAndPpsAfterTheHevcDelimiter() {
        assertThat(annexB("00000003" + "4601" + "50" + "00000003" + "2601af", Codec.HEVC, 4, HEVC_PARAMETER_SETS))
            .isEqualTo("00000001460150" + "000000014001aa" + "000000014201bb" + "000000014401cc" + "000000012601af");
    }

    @Test
    void aLengthPastTheEndOfTheFrameIsAFormatError() {
        ByteBuf body = Unpooled.wrappedBuffer(hex("00000009658801"));
        try {
            assertThatThrownBy(() -> AnnexB.fromAvcc(body, 0, body.writerIndex(), Codec.H264, 4, List.of()))
                .isInstanceOf(MediaFormatException.class).hasMessage("NAL unit of 9 bytes in 3 left");
            assertThatThrownBy(() -> AnnexB.fromAvcc(body, 0, 2, Codec.H264, 4, List.of()))
                .isInstanceOf(MediaFormatException.class).hasMessage("video frame ends inside a NAL unit length");
        } finally {
            body.release();
        }
    }

    @Test
    void onlyTheRangeGivenIsRead() {
        ByteBuf body = Unpooled.wrappedBuffer(hex("1701000000" + "00000002" + "4101" + "ffff"));
        ByteBuf out = AnnexB.fromAvcc(body, 5, 11, Codec.H264, 4, List.of());
        try {
            assertThat(ByteBufUtil.hexDump(out)).isEqualTo("0000000109f0" + "000000014101");
        } finally {
            out.release();
            body.release();
        }
    }

    private static String annexB(String avcc, Codec codec, int lengthSize, List<byte[]> parameterSets) {
        ByteBuf body = Unpooled.wrappedBuffer(hex(avcc));
        ByteBuf out = AnnexB.fromAvcc(body, 0, body.writerIndex(), codec, lengthSize, parameterSets);
        try {
            return ByteBufUtil.hexDump(out);
        } finally {
            out.release();
            body.release();
        }
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }
}
