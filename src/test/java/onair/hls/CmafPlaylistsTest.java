package onair.hls;

import onair.config.HlsConfig;
import onair.config.ServerConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** HLS playlists over per-track CMAF segments, as written beside a DASH manifest. */
class CmafPlaylistsTest {

    private static final HlsConfig HLS = ServerConfig.parse("rtmp { server { listen 1935; application a { "
        + "hls on; hls_path /m; hls_segment_type fmp4; } } }", "t.conf").rtmpServers().getFirst().application("a")
        .orElseThrow().hls();

    private static final CmafPlaylists.Track VIDEO =
        new CmafPlaylists.Track("s-video.m3u8", "avc1.64001f", 800_000, 640, 360);
    private static final CmafPlaylists.Track AUDIO = new CmafPlaylists.Track("s-audio.m3u8", "mp4a.40.2", 130_000, 0, 0);

    @Test
    void aTracksMediaPlaylistListsItsSegmentsUnderItsInitSegment() {
        String playlist = CmafPlaylists.media("s-init.m4v", List.of(
            new CmafPlaylists.Segment(4, "s-720000.m4v", 2.0), new CmafPlaylists.Segment(5, "s-900000.m4v", 2.48)),
            HLS, false);

        assertThat(playlist).isEqualTo("""
            #EXTM3U
            #EXT-X-VERSION:7
            #EXT-X-MEDIA-SEQUENCE:4
            #EXT-X-TARGETDURATION:3
            #EXT-X-MAP:URI="s-init.m4v"
            #EXTINF:2.000,
            s-720000.m4v
            #EXTINF:2.480,
            s-900000.m4v
            """);
        assertThat(CmafPlaylists.media("s-init.m4a", List.of(new CmafPlaylists.Segment(0, "s-0.m4a", 2.322)), HLS,
            true)).endsWith("s-0.m4a\n#EXT-X-ENDLIST\n");
    }

    @Test
    void theMasterPlaylistsVariantIsTheVideoTrackWithTheAudioTrackAsItsGroup() {
        assertThat(CmafPlaylists.master(List.of(VIDEO), AUDIO)).isEqualTo("""
            #EXTM3U
            #EXT-X-VERSION:7
            #EXT-X-INDEPENDENT-SEGMENTS
            #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="audio",DEFAULT=YES,AUTOSELECT=YES,URI="s-audio.m3u8"
            #EXT-X-STREAM-INF:BANDWIDTH=930000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=640x360,AUDIO="audio"
            s-video.m3u8
            """);
    }

    @Test
    void eachVideoRenditionIsAVariantWithTheAudioGroup() {
        CmafPlaylists.Track small = new CmafPlaylists.Track("s-v1-video.m3u8", "avc1.64000d", 200_000, 320, 180);

        assertThat(CmafPlaylists.master(List.of(VIDEO, small), AUDIO)).endsWith("""
            URI="s-audio.m3u8"
            #EXT-X-STREAM-INF:BANDWIDTH=930000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=640x360,AUDIO="audio"
            s-video.m3u8
            #EXT-X-STREAM-INF:BANDWIDTH=330000,CODECS="avc1.64000d,mp4a.40.2",RESOLUTION=320x180,AUDIO="audio"
            s-v1-video.m3u8
            """);
    }

    @Test
    void aStreamOfOneTrackHasThatTrackAsItsVariant() {
        assertThat(CmafPlaylists.master(List.of(), AUDIO)).endsWith("""
            #EXT-X-INDEPENDENT-SEGMENTS
            #EXT-X-STREAM-INF:BANDWIDTH=130000,CODECS="mp4a.40.2"
            s-audio.m3u8
            """);
        assertThat(CmafPlaylists.master(List.of(VIDEO), null)).endsWith("""
            #EXT-X-STREAM-INF:BANDWIDTH=800000,CODECS="avc1.64001f",RESOLUTION=640x360
            s-video.m3u8
            """);
    }
}
