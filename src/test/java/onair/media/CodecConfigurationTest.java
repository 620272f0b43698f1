package onair.media;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HexFormat;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Decoder configurations and parameter sets written by x264, x265 and FFmpeg's AAC encoder (FFmpeg 8.1). */
class CodecConfigurationTest {

    /** x264 640x360 high profile, 30 fps; the SPS holds emulation-prevention bytes. */
    static final String AVCC_360P = "0164001effe1001a6764001eacd940a02ff970110000030001000003003c0f162d9601000668ebe3cb22c0fdf8f800";
    /** x265 1920x1080 main profile, from an MP4, with its SEI array left out (3 arrays instead of 4). */
    static final String HVCC_1080P = "01016000000090000000000078f000fcfdf8f800000f03200001001840010c01ffff016000000300900000030000030078959809210001002a420101016000000300900000030000030078a003c08010e596566924caf0168080000003008000000f0422000100074401c172b46240";

    static Stream<Arguments> avcSequenceParameterSets() {
        return Stream.of(
            arguments("x264 360p high", "6764001eacd940a02ff970110000030001000003003c0f162d96", 100, 30, 640, 360, 30.0),
            arguments("x264 720p main", "674d401feca02802dd80880000030008000003019078c18cb0", 77, 31, 1280, 720, 25.0),
            arguments("x264 1080p baseline, cropped from 1088, 30000/1001",
                "6742c028d900780227e5c04400000fa40003a9803c60c920", 66, 40, 1920, 1080, 30000 / 1001.0),
            arguments("synthetic test stream's SPS without VUI", "6764001f", -1, 0, 0, 0, 0.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("avcSequenceParameterSets")
    void avcSequenceParameterSetGivesSizeProfileLevelAndFrameRate(String name, String hex, int profile, int level,
            int width, int height, double frameRate) {
        byte[] nal = HexFormat.of().parseHex(hex);
        if (profile < 0) {
            assertThatThrownBy(() -> AvcSequenceParameterSet.parse(nal)).isInstanceOf(MediaFormatException.class)
                .hasMessageContaining("H.264 SPS ends early");
            return;
        }
        AvcSequenceParameterSet sps = AvcSequenceParameterSet.parse(nal);
        assertThat(sps.profileIdc()).isEqualTo(profile);
        assertThat(sps.levelIdc()).isEqualTo(level);
        assertThat(sps.width()).isEqualTo(width);
        assertThat(sps.height()).isEqualTo(height);
        assertThat(sps.frameRate()).isCloseTo(frameRate, org.assertj.core.data.Offset.offset(1e-9));
    }

    @org.junit.jupiter.api.Test
    void avcDecoderConfigurationListsParameterSetsAndNamesTheCodec() {
        AvcDecoderConfiguration avcc = AvcDecoderConfiguration.parse(HexFormat.of().parseHex(AVCC_360P));
        assertThat(avcc.nalLengthSize()).isEqualTo(4);
        assertThat(avcc.sps()).hasSize(1);
        assertThat(avcc.pps()).singleElement().extracting(HexFormat.of()::formatHex).isEqualTo("68ebe3cb22c0");
        assertThat(avcc.codecString()).isEqualTo("avc1.64001e");
        assertThat(avcc.sequenceParameterSet().width()).isEqualTo(640);
    }

    @org.junit.jupiter.api.Test
    void hevcDecoderConfigurationListsParameterSetsAndNamesTheCodec() {
        HevcDecoderConfiguration hvcc = HevcDecoderConfiguration.parse(HexFormat.of().parseHex(HVCC_1080P));
        assertThat(hvcc.nalLengthSize()).isEqualTo(4);
        assertThat(hvcc.vps()).hasSize(1);
        assertThat(hvcc.sps()).hasSize(1);
        assertThat(hvcc.pps()).hasSize(1);
        assertThat(hvcc.codecString()).isEqualTo("hvc1.1.6.L120.90");
        HevcSequenceParameterSet sps = hvcc.sequenceParameterSet();
        assertThat(sps.width()).isEqualTo(1920);
        assertThat(sps.height()).isEqualTo(1080);
        assertThat(sps.profile()).isEqualTo(1);
        assertThat(sps.level()).isEqualTo(120);
    }

    @org.junit.jupiter.api.Test
    void hevcSequenceParameterSetOfA720pStream() {
        HevcSequenceParameterSet sps = HevcSequenceParameterSet.parse(HexFormat.of().parseHex(
            "42010101600000030090000003000003005da00280802d165959a4932bc05a020000030002000003003210"));
        assertThat(sps).isEqualTo(new HevcSequenceParameterSet(1, false, 93, 1280, 720));
    }

    static Stream<Arguments> audioSpecificConfigs() {
        return Stream.of(
            arguments("FFmpeg AAC LC 44.1 kHz stereo", "121056e500", 2, 44100, 2, "mp4a.40.2", "fff15080"),
            arguments("FFmpeg AAC LC 48 kHz mono", "118856e500", 2, 48000, 1, "mp4a.40.2", "fff14c40"),
            arguments("synthetic test stream", "1210", 2, 44100, 2, "mp4a.40.2", "fff15080"),
            arguments("explicit HE-AAC v1: 24 kHz core, SBR to 48 kHz", "2b1188", 2, 24000, 2, "mp4a.40.5",
                "fff15880"),
            arguments("explicit frequency 12345 Hz", "1780181ca0", 2, 12345, 4, "mp4a.40.2", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("audioSpecificConfigs")
    void audioSpecificConfigGivesTheCoreAndAnAdtsHeader(String name, String hex, int objectType, int frequency,
            int channels, String codec, String adtsStart) {
        AudioSpecificConfig asc = AudioSpecificConfig.parse(HexFormat.of().parseHex(hex));
        assertThat(asc.objectType()).isEqualTo(objectType);
        assertThat(asc.samplingFrequency()).isEqualTo(frequency);
        assertThat(asc.channelConfiguration()).isEqualTo(channels);
        assertThat(asc.codecString()).isEqualTo(codec);
        if (adtsStart == null) {
            assertThat(asc.adtsCompatible()).isFalse();
            return;
        }
        byte[] adts = asc.adtsHeader(100);
        assertThat(HexFormat.of().formatHex(adts)).startsWith(adtsStart);
        int length = ((adts[3] & 3) << 11) | ((adts[4] & 0xff) << 3) | ((adts[5] & 0xff) >> 5);
        assertThat(length).isEqualTo(107);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
            arguments("empty avcC", "avc", "", "avcC ends early"),
            arguments("avcC version 0", "avc", "0064001effe1", "avcC version 0, not 1"),
            arguments("avcC SPS longer than the record", "avc", "0164001effe100ff6764", "avcC ends early"),
            arguments("avcC without SPS", "avc", "0164001effe000", "without a sequence parameter set"),
            arguments("avcC NAL length 3", "avc", "0164001efee1", "NAL length size 3"),
            arguments("hvcC truncated", "hevc", "0101600000", "hvcC ends early"),
            arguments("SPS with wrong NAL type", "avc-sps", "6864001f", "NAL unit type 8, not 7"),
            arguments("SPS Exp-Golomb code of 32 zero bits", "avc-sps", "6764001f0000000000", "longer than 31 bits"),
            arguments("AudioSpecificConfig with a reserved frequency index", "aac", "1690", "frequency index 13"),
            arguments("AudioSpecificConfig of one byte", "aac", "12", "AudioSpecificConfig ends early"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedInputThrowsAClearMediaFormatException(String name, String parser, String hex, String message) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        assertThatThrownBy(() -> {
            switch (parser) {
                case "avc" -> AvcDecoderConfiguration.parse(bytes);
                case "hevc" -> HevcDecoderConfiguration.parse(bytes);
                case "avc-sps" -> AvcSequenceParameterSet.parse(bytes);
                default -> AudioSpecificConfig.parse(bytes);
            }
        }).isInstanceOf(MediaFormatException.class).hasMessageContaining(message);
    }
}
