package onair.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import onair.media.EnhancedTag.Layout;
import onair.media.EnhancedTag.Track;
import onair.media.MediaFrame.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static onair.media.MediaFrame.Kind.AUDIO;
import static onair.media.MediaFrame.Kind.VIDEO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Golden bodies of every Enhanced RTMP v2 tag layout: plain, ModEx, and the three multitrack layouts. */
class EnhancedTagTest {

    private static final String AVC1 = "61766331";
    private static final String HVC1 = "68766331";
    private static final String MP4A = "6d703461";
    private static final String OPUS = "4f707573";

    private static ByteBuf hex(String body) {
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(body.replace(" ", "")));
    }

    private static Arguments row(String name, Kind kind, String body, EnhancedTag tag) {
        return arguments(name, kind, body, tag);
    }

    private static EnhancedTag tag(int packetType, Layout layout, int nanos, Track... tracks) {
        return new EnhancedTag(packetType, layout, nanos, List.of(tracks));
    }

    static Stream<Arguments> bodies() {
        return Stream.of(
            row("a plain HEVC CodedFrames tag is one track 0 after its FourCC", VIDEO,
                "91 " + HVC1 + " 000021 aabb",
                tag(1, Layout.SINGLE, 0, new Track(0, Codec.HEVC, 5, 5))),
            row("a plain AAC SequenceStart audio tag", AUDIO, "90 " + MP4A + " 1210",
                tag(0, Layout.SINGLE, 0, new Track(0, Codec.AAC, 5, 2))),
            row("ModEx with a TimestampOffsetNano before CodedFramesX", VIDEO,
                "97 02 0f4240 03 " + AVC1 + " 00000001 65",
                tag(3, Layout.SINGLE, 1_000_000, new Track(0, Codec.H264, 10, 5))),
            row("two ModEx prefixes, the second of an unknown type", VIDEO,
                "97 02 000005 07 00 aa 13 " + AVC1 + " 000000 65",
                tag(3, Layout.SINGLE, 5, new Track(0, Codec.H264, 13, 4))),
            row("ModEx with a two-byte size (256 and more bytes)", AUDIO,
                "97 ff 00ff " + "00".repeat(256) + " 01 " + OPUS + " fc",
                tag(1, Layout.SINGLE, 0, new Track(0, Codec.OPUS, 265, 1))),
            row("a OneTrack video packet: one id, no size, the rest is the track", VIDEO,
                "96 01 " + AVC1 + " 01 000000 41",
                tag(1, Layout.ONE_TRACK, 0, new Track(1, Codec.H264, 7, 4))),
            row("a ManyTracks video packet: ids and sizes after the shared FourCC", VIDEO,
                "96 10 " + AVC1 + " 00 000004 000000 65 01 000005 000021 6501",
                tag(0, Layout.MANY_TRACKS, 0, new Track(0, Codec.H264, 10, 4), new Track(1, Codec.H264, 18, 5))),
            row("a ManyTracksManyCodecs video packet: a FourCC per track", VIDEO,
                "96 21 " + AVC1 + " 00 000004 000000 65 " + HVC1 + " 02 000002 aabb",
                tag(1, Layout.MANY_TRACKS_MANY_CODECS, 0, new Track(0, Codec.H264, 10, 4),
                    new Track(2, Codec.HEVC, 22, 2))),
            row("a ManyTracks audio packet of two AAC tracks", AUDIO,
                "95 11 " + MP4A + " 00 000002 2110 01 000001 21",
                tag(1, Layout.MANY_TRACKS, 0, new Track(0, Codec.AAC, 10, 2), new Track(1, Codec.AAC, 16, 1))),
            row("ModEx before a multitrack packet", AUDIO,
                "97 02 000064 05 01 " + OPUS + " 03 fc",
                tag(1, Layout.ONE_TRACK, 100, new Track(3, Codec.OPUS, 12, 1))),
            row("an unknown FourCC is a track of an unknown codec", VIDEO,
                "96 10 78797a31 00 000001 aa",
                tag(0, Layout.MANY_TRACKS, 0, new Track(0, Codec.UNKNOWN, 10, 1))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void eachLayoutGivesItsTracksAndPacketType(String name, Kind kind, String body, EnhancedTag expected) {
        ByteBuf buffer = hex(body);

        assertThat(EnhancedTag.read(kind, buffer)).isEqualTo(expected);
        assertThat(buffer.readerIndex()).as("reading leaves the body as it is").isZero();
    }

    @ParameterizedTest(name = "{0} → {2}")
    @CsvSource(delimiter = '|', textBlock = """
            a cut FourCC                         | 91 617663      | the tag ends inside its FourCC
            a cut ModEx size                     | 97             | the tag ends inside its ModEx size
            ModEx data longer than the tag       | 97 05 0000     | the tag ends inside its ModEx data
            a reserved multitrack type           | 96 31 61766331 | reserved AvMultitrackType 3
            multitrack inside multitrack         | 96 06 61766331 | packet type 6 inside a multitrack packet
            a track size beyond the tag          | 96 10 61766331 00 000009 00 | the tag ends inside its track 0
            a cut track size                     | 96 10 61766331 00 0000 | the tag ends inside its track size
            a OneTrack packet without its id     | 96 01 61766331 | the tag ends inside its track id
            """)
    void aMalformedTagIsRefusedWithWhatEndedEarly(String name, String body, String message) {
        assertThatThrownBy(() -> EnhancedTag.read(VIDEO, hex(body)))
            .isInstanceOf(MediaFormatException.class).hasMessage(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a legacy AVC tag       | VIDEO | 17 00 000000
            a legacy AAC tag       | AUDIO | af 01 21
            an empty body          | VIDEO | ''
            """)
    void aLegacyTagIsNotEnhanced(String name, Kind kind, String body) {
        assertThat(EnhancedTag.read(kind, hex(body))).isNull();
    }

    @Test
    void moreModExPrefixesThanTheBoundAreRefused() {
        String body = "97" + " 00 00 07".repeat(EnhancedTag.MAX_MOD_EX) + " 00 01 " + AVC1;

        assertThatThrownBy(() -> EnhancedTag.read(VIDEO, hex(body)))
            .isInstanceOf(MediaFormatException.class).hasMessageContaining("ModEx prefixes");
    }
}
