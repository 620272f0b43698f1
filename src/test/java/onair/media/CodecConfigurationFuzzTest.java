package onair.media;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Parses arbitrary bytes as each decoder configuration and parameter set: each either parses into values within their
 * ranges or throws {@link MediaFormatException}, never anything else.
 */
class CodecConfigurationFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void anyBytesParseAsAvcDecoderConfigurationOrFailWithMediaFormatException(byte[] input) {
        try {
            AvcDecoderConfiguration avcc = AvcDecoderConfiguration.parse(input);
            assertThat(avcc.codecString()).matches("avc1\\.[0-9a-f]{6}");
            assertThat(avcc.nalLengthSize()).isIn(1, 2, 4);
            AvcSequenceParameterSet sps = avcc.sequenceParameterSet();
            assertThat(sps.width()).isBetween(1, 16_384);
            assertThat(sps.height()).isBetween(1, 2 * 16_384);
        } catch (MediaFormatException expected) {
            assertThat(expected.getMessage()).isNotEmpty();
        }
    }

    @FuzzTest(maxDuration = "30s")
    void anyBytesParseAsHevcDecoderConfigurationOrFailWithMediaFormatException(byte[] input) {
        try {
            HevcDecoderConfiguration hvcc = HevcDecoderConfiguration.parse(input);
            assertThat(hvcc.codecString()).startsWith("hvc1.");
            HevcSequenceParameterSet sps = hvcc.sequenceParameterSet();
            assertThat(sps.width()).isBetween(1, 16_888);
            assertThat(sps.height()).isBetween(1, 16_888);
        } catch (MediaFormatException expected) {
            assertThat(expected.getMessage()).isNotEmpty();
        }
    }

    @FuzzTest(maxDuration = "30s")
    void anyBytesParseAsAudioSpecificConfigOrFailWithMediaFormatException(byte[] input) {
        try {
            AudioSpecificConfig asc = AudioSpecificConfig.parse(input);
            assertThat(asc.codecString()).startsWith("mp4a.40.");
            if (asc.adtsCompatible()) {
                assertThat(asc.adtsHeader(0)).hasSize(7);
            }
        } catch (MediaFormatException expected) {
            assertThat(expected.getMessage()).isNotEmpty();
        }
    }
}
