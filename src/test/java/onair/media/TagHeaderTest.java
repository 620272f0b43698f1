package onair.media;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import onair.media.MediaFrame.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static onair.media.MediaFrame.Kind.AUDIO;
import static onair.media.MediaFrame.Kind.DATA;
import static onair.media.MediaFrame.Kind.VIDEO;
import static onair.media.TagHeaderTest.Role.DROPPABLE;
import static onair.media.TagHeaderTest.Role.KEYFRAME;
import static onair.media.TagHeaderTest.Role.NEITHER;
import static onair.media.TagHeaderTest.Role.SEQUENCE_HEADER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class TagHeaderTest {

    /** Which of isKeyframe(), isSequenceHeader() and isDroppable() holds; at most one ever does. */
    enum Role { KEYFRAME, SEQUENCE_HEADER, DROPPABLE, NEITHER }

    private static final String HVC1 = "68766331";
    private static final String AVC1 = "61766331";
    private static final String AV01 = "61763031";
    private static final String VP09 = "76703039";
    private static final String OPUS = "4f707573";
    private static final String FLAC = "664c6143";
    private static final String COLOR_INFO = "02 0009 636f6c6f72496e666f 03 0000 09";

    private static Arguments row(String name, Kind kind, String body, TagHeader header, Role role) {
        return arguments(name, kind, body, header, role);
    }

    private static TagHeader header(Codec codec, boolean keyframe, boolean sequenceHeader, boolean disposable,
                                    boolean signal) {
        return new TagHeader(codec, keyframe, sequenceHeader, disposable, signal, -1, 0, 0);
    }

    static Stream<Arguments> bodies() {
        return Stream.of(
            row("an H.264 keyframe NALU is a keyframe", VIDEO, "17 01 000000 00000001 65",
                header(Codec.H264, true, false, false, false), KEYFRAME),
            row("an H.264 inter frame is droppable", VIDEO, "27 01 000021 00000001 41",
                header(Codec.H264, false, false, false, false), DROPPABLE),
            row("an H.264 disposable inter frame is droppable", VIDEO, "37 01 000000 00000001 01",
                header(Codec.H264, false, false, true, false), DROPPABLE),
            row("an AVC sequence header is a sequence header", VIDEO, "17 00 000000 01 64001f ff e1",
                header(Codec.H264, true, true, false, false), SEQUENCE_HEADER),
            row("an AVC end of sequence sent as frame type 1 is no keyframe", VIDEO, "17 02 000000",
                header(Codec.H264, false, false, false, true), NEITHER),
            row("an AVC seek start command frame is neither keyframe nor droppable nor a header", VIDEO, "57 00",
                header(Codec.H264, false, false, false, true), NEITHER),
            row("an AVC seek end command frame is neither keyframe nor droppable", VIDEO, "57 01",
                header(Codec.H264, false, false, false, true), NEITHER),
            row("a lone AVC tag header byte is a keyframe without a packet type", VIDEO, "17",
                header(Codec.H264, true, false, false, false), KEYFRAME),
            row("a Sorenson H.263 keyframe has no packet type to make it a header", VIDEO, "12 00 0084",
                header(Codec.SORENSON_H263, true, false, false, false), KEYFRAME),
            row("a legacy HEVC codec id 12 sequence header is a sequence header", VIDEO, "1c 00 000000 01",
                header(Codec.HEVC, true, true, false, false), SEQUENCE_HEADER),
            row("a legacy HEVC codec id 12 keyframe is a keyframe", VIDEO, "1c 01 000000 00000001 26",
                header(Codec.HEVC, true, false, false, false), KEYFRAME),
            row("a legacy HEVC codec id 12 inter frame is droppable", VIDEO, "2c 01 000000 00000001 02",
                header(Codec.HEVC, false, false, false, false), DROPPABLE),
            row("an hvc1 SequenceStart is a sequence header", VIDEO, "90 " + HVC1 + " 01 01",
                header(Codec.HEVC, true, true, false, false), SEQUENCE_HEADER),
            row("an hvc1 CodedFrames keyframe is a keyframe", VIDEO, "91 " + HVC1 + " 000000 00000001 26",
                header(Codec.HEVC, true, false, false, false), KEYFRAME),
            row("an hvc1 CodedFrames inter frame is droppable", VIDEO, "a1 " + HVC1 + " 000042 00000001 02",
                header(Codec.HEVC, false, false, false, false), DROPPABLE),
            row("an hvc1 CodedFramesX keyframe is a keyframe", VIDEO, "93 " + HVC1 + " 00000001 26",
                header(Codec.HEVC, true, false, false, false), KEYFRAME),
            row("an hvc1 CodedFramesX inter frame is droppable", VIDEO, "a3 " + HVC1 + " 00000001 02",
                header(Codec.HEVC, false, false, false, false), DROPPABLE),
            row("an hvc1 CodedFramesX disposable frame is droppable", VIDEO, "b3 " + HVC1 + " 00000001 02",
                header(Codec.HEVC, false, false, true, false), DROPPABLE),
            row("an hvc1 SequenceEnd sent as frame type 1 is no keyframe", VIDEO, "92 " + HVC1,
                header(Codec.HEVC, false, false, false, true), NEITHER),
            row("an hvc1 Metadata packet with frame type 5 is neither keyframe nor droppable", VIDEO,
                "d4 " + HVC1 + " " + COLOR_INFO, header(Codec.HEVC, false, false, false, true), NEITHER),
            row("an av01 Metadata packet ignores its frame type 1", VIDEO, "94 " + AV01 + " " + COLOR_INFO,
                header(Codec.AV1, false, false, false, true), NEITHER),
            row("an av01 command frame is neither keyframe nor droppable", VIDEO, "d1 " + AV01 + " 00",
                header(Codec.AV1, false, false, false, true), NEITHER),
            row("an av01 SequenceStart is a sequence header", VIDEO, "90 " + AV01 + " 81 00 0c",
                header(Codec.AV1, true, true, false, false), SEQUENCE_HEADER),
            row("an av01 MPEG2TSSequenceStart is a sequence header", VIDEO, "95 " + AV01 + " 80 04",
                header(Codec.AV1, true, true, false, false), SEQUENCE_HEADER),
            row("an av01 CodedFrames keyframe is a keyframe", VIDEO, "91 " + AV01 + " 12 00 0a",
                header(Codec.AV1, true, false, false, false), KEYFRAME),
            row("an av01 CodedFrames inter frame is droppable", VIDEO, "a1 " + AV01 + " 12 00 32",
                header(Codec.AV1, false, false, false, false), DROPPABLE),
            row("a vp09 SequenceStart is a sequence header", VIDEO, "90 " + VP09 + " 01 000000 00",
                header(Codec.VP9, true, true, false, false), SEQUENCE_HEADER),
            row("a vp09 CodedFrames keyframe is a keyframe", VIDEO, "91 " + VP09 + " 82 49 83",
                header(Codec.VP9, true, false, false, false), KEYFRAME),
            row("a vp09 CodedFramesX inter frame is droppable", VIDEO, "a3 " + VP09 + " 86 00",
                header(Codec.VP9, false, false, false, false), DROPPABLE),
            row("an Enhanced video SequenceStart cut before its FourCC is no sequence header", VIDEO, "90 6876",
                header(Codec.NONE, true, false, false, false), KEYFRAME),
            row("an Enhanced video keyframe with no FourCC has no codec", VIDEO, "91",
                header(Codec.NONE, true, false, false, false), KEYFRAME),
            row("a multitrack SequenceStart of track 1 (as ffmpeg 8 sends it) is that track's sequence header", VIDEO,
                "96 00 " + AVC1 + " 01 01f4000c", new TagHeader(Codec.H264, true, true, false, false, -1, 0, 1),
                SEQUENCE_HEADER),
            row("a multitrack keyframe of track 1 starts no GOP", VIDEO, "96 01 " + AVC1 + " 01 000050 00000001 65",
                new TagHeader(Codec.H264, true, false, false, false, -1, 0, 1), NEITHER),
            row("a multitrack inter frame of track 1 is droppable", VIDEO, "a6 01 " + AVC1 + " 01 0000c8 00000001 41",
                new TagHeader(Codec.H264, false, false, false, false, -1, 0, 1), DROPPABLE),
            row("a ManyTracks packet belongs to no single track", VIDEO,
                "96 11 " + AVC1 + " 00 000004 00000065 01 000004 00000065",
                new TagHeader(Codec.H264, true, false, false, false, -1, 0, TagHeader.MANY_TRACKS), NEITHER),
            row("a malformed multitrack packet is a signal of no single track", VIDEO, "96 31 " + AVC1,
                new TagHeader(Codec.NONE, false, false, false, true, -1, 0, TagHeader.MANY_TRACKS), NEITHER),
            row("a ModEx-prefixed track 0 keyframe is a keyframe", VIDEO, "97 02 000010 01 " + AVC1 + " 000000 65",
                header(Codec.H264, true, false, false, false), KEYFRAME),
            row("a multitrack AAC frame of track 2 is droppable", AUDIO, "95 01 6d703461 02 21",
                new TagHeader(Codec.AAC, false, false, false, false, -1, 0, 2), DROPPABLE),
            row("an empty video body is droppable", VIDEO, "",
                header(Codec.NONE, false, false, false, false), DROPPABLE),
            row("an AAC sequence header is a sequence header", AUDIO, "af 00 1210",
                header(Codec.AAC, false, true, false, false), SEQUENCE_HEADER),
            row("a raw AAC frame is droppable", AUDIO, "af 01 21 00 49",
                header(Codec.AAC, false, false, false, false), DROPPABLE),
            row("a lone AAC tag header byte is droppable", AUDIO, "af",
                header(Codec.AAC, false, false, false, false), DROPPABLE),
            row("an MP3 frame is droppable", AUDIO, "2f fffb 90 64",
                header(Codec.MP3, false, false, false, false), DROPPABLE),
            row("an MP3 frame whose second byte is zero is no sequence header", AUDIO, "2f 00",
                header(Codec.MP3, false, false, false, false), DROPPABLE),
            row("an Opus SequenceStart is a sequence header", AUDIO, "90 " + OPUS + " 4f707573486561640102",
                header(Codec.OPUS, false, true, false, false), SEQUENCE_HEADER),
            row("an Opus CodedFrames packet is droppable", AUDIO, "91 " + OPUS + " fc ff fe",
                header(Codec.OPUS, false, false, false, false), DROPPABLE),
            row("an Opus MultichannelConfig is a sequence header", AUDIO, "94 " + OPUS + " 01 02 00000003",
                header(Codec.OPUS, false, true, false, false), SEQUENCE_HEADER),
            row("an Opus SequenceEnd is droppable", AUDIO, "92 " + OPUS,
                header(Codec.OPUS, false, false, false, false), DROPPABLE),
            row("a FLAC SequenceStart is a sequence header", AUDIO, "90 " + FLAC + " 00000022 1000",
                header(Codec.FLAC, false, true, false, false), SEQUENCE_HEADER),
            row("a FLAC CodedFrames packet is droppable", AUDIO, "91 " + FLAC + " fff8 6908",
                header(Codec.FLAC, false, false, false, false), DROPPABLE),
            row("a FLAC MultichannelConfig is a sequence header", AUDIO, "94 " + FLAC + " 00 02",
                header(Codec.FLAC, false, true, false, false), SEQUENCE_HEADER),
            row("an Enhanced audio SequenceStart cut before its FourCC has no codec", AUDIO, "90 4f70",
                header(Codec.NONE, false, true, false, false), SEQUENCE_HEADER),
            row("an empty audio body is droppable", AUDIO, "",
                header(Codec.NONE, false, false, false, false), DROPPABLE),
            row("script data is never droppable", DATA, "02 000a 6f6e4d65746144617461",
                header(Codec.NONE, false, false, false, false), NEITHER),
            row("an empty script data body is never droppable", DATA, "",
                header(Codec.NONE, false, false, false, false), NEITHER));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void readsTheTagBody(String name, Kind kind, String body, TagHeader expected, Role role) {
        byte[] bytes = ByteBufUtil.decodeHexDump(body.replace(" ", ""));
        MediaFrame frame = MediaFrame.of(kind, 0, Unpooled.wrappedBuffer(bytes));
        try {
            assertThat(frame.header()).usingRecursiveComparison().ignoringFields("dataOffset", "compositionTime")
                .isEqualTo(expected);
            assertThat(frame.isKeyframe()).as("isKeyframe()").isEqualTo(role == KEYFRAME);
            assertThat(frame.isSequenceHeader()).as("isSequenceHeader()").isEqualTo(role == SEQUENCE_HEADER);
            assertThat(frame.isDroppable()).as("isDroppable()").isEqualTo(role == DROPPABLE);
            assertThat(frame.size()).as("bytes left unread").isEqualTo(bytes.length);
        } finally {
            frame.release();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        an AVC sequence header's record starts after the 5-byte header | VIDEO | 17 00 000000 01 64001f ff e1 | 5 | 0
        an AVC NALU carries its composition time                        | VIDEO | 27 01 000021 00000001 41     | 5 | 33
        a negative AVC composition time is sign-extended                | VIDEO | 27 01 ffffd8 00000001 41     | 5 | -40
        an AVC NALU cut inside its header has no data                   | VIDEO | 17 01 0000                   | -1 | 0
        an AVC end of sequence has no data                              | VIDEO | 17 02 000000                 | -1 | 0
        a legacy HEVC NALU is laid out as AVC                           | VIDEO | 2c 01 000010 00000001 02     | 5 | 16
        a Sorenson H.263 frame's data follows the first byte            | VIDEO | 12 00 0084                   | 1 | 0
        an Enhanced SequenceStart's record follows the FourCC           | VIDEO | 90 68766331 01               | 5 | 0
        an Enhanced CodedFrames packet carries a composition time       | VIDEO | 91 68766331 000028 00000001  | 8 | 40
        an Enhanced CodedFrames packet cut in its CTS has no data       | VIDEO | 91 68766331 0000             | -1 | 0
        an Enhanced CodedFramesX packet has no composition time         | VIDEO | a3 68766331 00000001 02      | 5 | 0
        an Enhanced metadata packet has no data                         | VIDEO | 94 68766331 02 0009          | -1 | 0
        an AAC sequence header's config follows the 2-byte header       | AUDIO | af 00 1210                   | 2 | 0
        a raw AAC frame follows the 2-byte header                       | AUDIO | af 01 21 00 49               | 2 | 0
        an MP3 frame's data follows the first byte                      | AUDIO | 2f fffb 90 64                | 1 | 0
        an Enhanced audio SequenceStart's config follows the FourCC     | AUDIO | 90 6d703461 1210             | 5 | 0
        an Enhanced audio CodedFrames packet follows the FourCC         | AUDIO | 91 4f707573 fc               | 5 | 0
        an Enhanced audio MultichannelConfig has no coded data          | AUDIO | 94 4f707573 00 02            | -1 | 0
        a multitrack CodedFrames packet's data follows its track's CTS  | VIDEO | 96 01 61766331 01 000050 00000001 | 10 | 80
        a multitrack SequenceStart's record follows the track id        | VIDEO | 96 00 61766331 01 01f4       | 7 | 0
        a ModEx CodedFrames packet's data follows the FourCC and CTS    | VIDEO | 97 02 000010 01 61766331 000028 65 | 13 | 40
        a multitrack audio frame's data follows the track id            | AUDIO | 95 01 6d703461 02 21         | 7 | 0
        """)
    void findsWhereTheCodecDataStartsAndTheCompositionTime(String name, Kind kind, String body, int dataOffset,
                                                            int compositionTime) {
        byte[] bytes = ByteBufUtil.decodeHexDump(body.replace(" ", ""));
        MediaFrame frame = MediaFrame.of(kind, 0, Unpooled.wrappedBuffer(bytes));
        try {
            assertThat(frame.header().dataOffset()).as("data offset").isEqualTo(dataOffset);
            assertThat(frame.header().compositionTime()).as("composition time").isEqualTo(compositionTime);
        } finally {
            frame.release();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        MP3 at 44 kHz stereo                    | 2f fffb 90 64 | 44100 | 2
        Nellymoser at 5.5 kHz mono              | 62 00         | 5512  | 1
        ADPCM at 22 kHz stereo                  | 1b 00         | 22050 | 2
        G.711 A-law at 11 kHz mono              | 74 00         | 11025 | 1
        AAC always announces 44 kHz stereo      | af 01 21      | 44100 | 2
        an Enhanced audio tag announces nothing | 91 4f707573fc | 0     | 0
        an empty tag announces nothing          |               | 0     | 0
        """)
    void readsTheLegacySoundRateAndChannels(String name, String body, int rate, int channels) {
        var bytes = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(body == null ? "" : body.replace(" ", "")));
        assertThat(TagHeader.legacySoundRate(bytes)).isEqualTo(rate);
        assertThat(TagHeader.legacyChannels(bytes)).isEqualTo(channels);
    }
}
