package onair.hls;

import onair.config.HlsConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * HLS playlists over per-track CMAF segments that another output writes, as DASH does: a media playlist per track
 * under the track's initialisation segment ({@code EXT-X-MAP}), and a master playlist whose variant is the video track
 * with the audio track as its {@code EXT-X-MEDIA} rendition group (RFC 8216 §4.3.4.1, §4.3.4.2.1).
 */
public final class CmafPlaylists {

    private static final String AUDIO_GROUP = "audio";

    /** A segment of a track: its media sequence number, URI relative to the playlist and duration in seconds. */
    public record Segment(long sequence, String uri, double duration) {}

    /**
     * One track of the master playlist.
     *
     * @param playlist  the URI of its media playlist
     * @param codecs    its RFC 6381 codecs string
     * @param bandwidth its peak segment bit rate, bit/s
     * @param width     the picture width of a video track, 0 for audio
     */
    public record Track(String playlist, String codecs, long bandwidth, int width, int height) {}

    private CmafPlaylists() {
    }

    /** The media playlist of one track's {@code segments} (oldest first) under its {@code init} segment. */
    public static String media(String init, List<Segment> segments, HlsConfig config, boolean ended) {
        List<Playlist.Segment> listed = new ArrayList<>(segments.size());
        for (Segment segment : segments) {
            listed.add(new Playlist.Segment(segment.sequence(), segment.uri(), segment.duration(), false, null, null,
                init, List.of()));
        }
        return Playlist.media(listed, config, ended);
    }

    /**
     * The master playlist of a stream of {@code videos} (its renditions, the default first), {@code audio} (null for
     * none) or both: each video track a variant with the audio track as its group, or the audio track as the only
     * variant.
     */
    public static String master(List<Track> videos, Track audio) {
        StringBuilder text = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        if (videos.isEmpty()) {
            if (audio != null) {
                variant(text, audio, null);
            }
            return text.toString();
        }
        if (audio != null) {
            text.append("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"").append(AUDIO_GROUP)
                .append("\",NAME=\"audio\",DEFAULT=YES,AUTOSELECT=YES,URI=\"").append(audio.playlist()).append("\"\n");
        }
        for (Track video : videos) {
            variant(text, video, audio);
        }
        return text.toString();
    }

    private static void variant(StringBuilder text, Track variant, Track audio) {
        long bandwidth = variant.bandwidth() + (audio != null ? audio.bandwidth() : 0);
        text.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(bandwidth).append(",CODECS=\"").append(variant.codecs())
            .append(audio != null ? "," + audio.codecs() : "").append('"');
        if (variant.width() > 0 && variant.height() > 0) {
            text.append(",RESOLUTION=").append(variant.width()).append('x').append(variant.height());
        }
        if (audio != null) {
            text.append(",AUDIO=\"").append(AUDIO_GROUP).append('"');
        }
        text.append('\n').append(variant.playlist()).append('\n');
    }
}
