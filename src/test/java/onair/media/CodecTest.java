package onair.media;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static onair.media.MediaFrame.Kind.AUDIO;
import static onair.media.MediaFrame.Kind.VIDEO;
import static org.assertj.core.api.Assertions.assertThat;

class CodecTest {

    @ParameterizedTest(name = "{0} {1} is {2}")
    @CsvSource({
        "VIDEO, 2, SORENSON_H263, Sorenson-H263",
        "VIDEO, 7, H264, H264",
        "VIDEO, 12, HEVC, HEVC",
        "VIDEO, 13, UNKNOWN, ''",
        "AUDIO, 0, LINEAR_PCM, ''",
        "AUDIO, 2, MP3, MP3",
        "AUDIO, 7, G711A, G711A",
        "AUDIO, 10, AAC, AAC",
        "AUDIO, 9, UNKNOWN, ''",
    })
    void legacyFlvIdsNameTheirCodecPerKind(MediaFrame.Kind kind, int id, Codec codec, String nginxName) {
        assertThat(Codec.ofFlvId(kind, id)).isEqualTo(codec);
        assertThat(codec.nginxName()).isEqualTo(nginxName);
    }

    @ParameterizedTest(name = "{0} {1} is {2}")
    @CsvSource({
        "VIDEO, avc1, H264",
        "VIDEO, hvc1, HEVC",
        "VIDEO, av01, AV1",
        "VIDEO, vp09, VP9",
        "VIDEO, vp08, VP8",
        "AUDIO, mp4a, AAC",
        "AUDIO, Opus, OPUS",
        "AUDIO, fLaC, FLAC",
        "AUDIO, .mp3, MP3",
        "AUDIO, ac-3, AC3",
        "AUDIO, ec-3, EAC3",
        "VIDEO, xxxx, UNKNOWN",
        "AUDIO, avc1, UNKNOWN",
        "VIDEO, Opus, UNKNOWN",
    })
    void enhancedRtmpFourCcsNameTheSameCodecsAsLegacyIds(MediaFrame.Kind kind, String fourCc, Codec codec) {
        byte[] body = ("\u0090" + fourCc).getBytes(StandardCharsets.ISO_8859_1);

        assertThat(Codec.ofFourCc(kind, Unpooled.wrappedBuffer(body), 1)).isEqualTo(codec);
    }

    @ParameterizedTest(name = "{0} cut to {1} bytes")
    @CsvSource({"VIDEO, 0", "VIDEO, 3", "AUDIO, 2"})
    void aFourCcCutShortIsNoCodec(MediaFrame.Kind kind, int length) {
        byte[] body = "\u0090hvc1".getBytes(StandardCharsets.ISO_8859_1);

        assertThat(Codec.ofFourCc(kind, Unpooled.wrappedBuffer(body, 0, 1 + length), 1)).isEqualTo(Codec.NONE);
        assertThat(Codec.NONE.present()).isFalse();
        assertThat(Codec.ofFlvId(AUDIO, 10).present()).isTrue();
        assertThat(Codec.ofFlvId(VIDEO, 7).fourCc()).isEqualTo("avc1");
    }
}
