package onair.hls;

import onair.config.HlsConfig;
import onair.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class PlaylistTest {

    private static final String HEAD = "#EXTM3U\n#EXT-X-VERSION:3\n";

    private static HlsConfig config(String directives) {
        return ServerConfig.parse("rtmp { server { listen 1935; application a { hls on; hls_path /h; " + directives
            + " } } }", "t.conf").rtmpServers().getFirst().application("a").orElseThrow().hls();
    }

    private static Playlist.Segment segment(long sequence, double duration) {
        return new Playlist.Segment(sequence, "s-" + sequence + ".ts", duration, false, null, null);
    }

    static Stream<Arguments> playlists() {
        return Stream.of(
            arguments("empty", "", List.of(), false,
                HEAD + "#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-TARGETDURATION:1\n"),
            arguments("target duration is the longest segment rounded up, EXTINF has 3 decimals", "",
                List.of(segment(4, 2.0), segment(5, 2.0004), segment(6, 1.96)), false,
                HEAD + "#EXT-X-MEDIA-SEQUENCE:4\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.000,\ns-4.ts\n#EXTINF:2.000,\n"
                    + "s-5.ts\n#EXTINF:1.960,\ns-6.ts\n"),
            arguments("2.0005 s needs a target of 3", "", List.of(segment(0, 2.0005)), false,
                HEAD + "#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-TARGETDURATION:3\n#EXTINF:2.001,\ns-0.ts\n"),
            arguments("ended, event, client cache", "hls_type event; hls_allow_client_cache enabled;",
                List.of(segment(0, 5)), true,
                HEAD + "#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-TARGETDURATION:5\n#EXT-X-PLAYLIST-TYPE:EVENT\n"
                    + "#EXT-X-ALLOW-CACHE:YES\n#EXTINF:5.000,\ns-0.ts\n#EXT-X-ENDLIST\n"),
            arguments("discontinuity, key with the sequence number as IV, date-time", "",
                List.of(new Playlist.Segment(258, "s.ts", 1, true, "https://k/s-256.key",
                    Instant.parse("2026-11-29T21:00:00.250Z"))), false,
                HEAD + "#EXT-X-MEDIA-SEQUENCE:258\n#EXT-X-TARGETDURATION:1\n#EXT-X-DISCONTINUITY\n"
                    + "#EXT-X-KEY:METHOD=AES-128,URI=\"https://k/s-256.key\",IV=0x00000000000000000000000000000102\n"
                    + "#EXT-X-PROGRAM-DATE-TIME:2026-11-29T21:00:00.250Z\n#EXTINF:1.000,\ns.ts\n"),
            arguments("fMP4: version 7, EXT-X-MAP before the first segment of each initialisation segment", "",
                List.of(new Playlist.Segment(0, "s-0.m4s", 2, false, null, null, "s-init-0.mp4", List.of()),
                    new Playlist.Segment(1, "s-1.m4s", 2, false, null, null, "s-init-0.mp4", List.of()),
                    new Playlist.Segment(2, "s-2.m4s", 2, true, null, null, "s-init-2.mp4", List.of())), true,
                "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-TARGETDURATION:2\n"
                    + "#EXT-X-MAP:URI=\"s-init-0.mp4\"\n#EXTINF:2.000,\ns-0.m4s\n#EXTINF:2.000,\ns-1.m4s\n"
                    + "#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI=\"s-init-2.mp4\"\n#EXTINF:2.000,\ns-2.m4s\n#EXT-X-ENDLIST\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("playlists")
    void mediaPlaylist(String name, String directives, List<Playlist.Segment> segments, boolean ended,
            String expected) {
        assertThat(Playlist.media(segments, config(directives), ended)).isEqualTo(expected);
    }

    @Test
    void lowLatencyPlaylistListsTheNewestSegmentsPartsThePendingPartsAndAPreloadHint() {
        List<Playlist.Segment> segments = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            segments.add(new Playlist.Segment(i, "s-" + i + ".m4s", 1, false, null, null, "s-init-0.mp4",
                List.of(new Playlist.Part("s-" + i + ".0.m4s", 0.5, true), new Playlist.Part("s-" + i + ".1.m4s", 0.5,
                    false))));
        }
        String text = Playlist.media(segments, List.of(new Playlist.Part("s-4.0.m4s", 0.48, true)), "s-init-0.mp4",
            "s-4.1.m4s", config("hls_segment_type fmp4; hls_part 500ms;"), false);

        assertThat(text).isEqualTo("""
            #EXTM3U
            #EXT-X-VERSION:7
            #EXT-X-MEDIA-SEQUENCE:0
            #EXT-X-TARGETDURATION:1
            #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.500
            #EXT-X-PART-INF:PART-TARGET=0.500
            #EXT-X-MAP:URI="s-init-0.mp4"
            #EXTINF:1.000,
            s-0.m4s
            #EXT-X-PART:DURATION=0.500,URI="s-1.0.m4s",INDEPENDENT=YES
            #EXT-X-PART:DURATION=0.500,URI="s-1.1.m4s"
            #EXTINF:1.000,
            s-1.m4s
            #EXT-X-PART:DURATION=0.500,URI="s-2.0.m4s",INDEPENDENT=YES
            #EXT-X-PART:DURATION=0.500,URI="s-2.1.m4s"
            #EXTINF:1.000,
            s-2.m4s
            #EXT-X-PART:DURATION=0.500,URI="s-3.0.m4s",INDEPENDENT=YES
            #EXT-X-PART:DURATION=0.500,URI="s-3.1.m4s"
            #EXTINF:1.000,
            s-3.m4s
            #EXT-X-PART:DURATION=0.480,URI="s-4.0.m4s",INDEPENDENT=YES
            #EXT-X-PRELOAD-HINT:TYPE=PART,URI="s-4.1.m4s"
            """);
    }

    @Test
    void masterPlaylistListsVariantsInOrder() {
        assertThat(Playlist.master(List.of(
            new Playlist.Variant("s_lo.m3u8", List.of("BANDWIDTH=400000", "RESOLUTION=640x360")),
            new Playlist.Variant("s_hi.m3u8", List.of("BANDWIDTH=2000000", "CODECS=\"avc1.64001f,mp4a.40.2\"")))))
            .isEqualTo(HEAD + "#EXT-X-STREAM-INF:BANDWIDTH=400000,RESOLUTION=640x360\ns_lo.m3u8\n"
                + "#EXT-X-STREAM-INF:BANDWIDTH=2000000,CODECS=\"avc1.64001f,mp4a.40.2\"\ns_hi.m3u8\n");
    }
}
