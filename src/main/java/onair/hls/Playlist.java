package onair.hls;

import onair.config.HlsConfig;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Renders HLS media and master playlists (RFC 8216 §4.3): protocol version 3, or 7 for fragmented MP4 segments
 * (their {@code EXT-X-MAP}).
 */
final class Playlist {

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
        .withZone(ZoneOffset.UTC);

    /**
     * One media segment of a playlist.
     *
     * @param sequence      its media sequence number
     * @param discontinuity preceded by {@code EXT-X-DISCONTINUITY} (the first segment of a republished stream)
     * @param keyUri        the AES-128 key's URI, or null when not encrypted; the IV is the sequence number
     * @param dateTime      its {@code EXT-X-PROGRAM-DATE-TIME}, or null
     * @param map           the URI of its fMP4 initialisation segment, or null for MPEG-TS
     * @param parts         its LL-HLS partial segments, in order (empty without {@code hls_part})
     */
    record Segment(long sequence, String uri, double duration, boolean discontinuity, String keyUri,
                   Instant dateTime, String map, List<Part> parts) {

        Segment {
            parts = List.copyOf(parts);
        }

        Segment(long sequence, String uri, double duration, boolean discontinuity, String keyUri, Instant dateTime) {
            this(sequence, uri, duration, discontinuity, keyUri, dateTime, null, List.of());
        }
    }

    /** An LL-HLS partial segment; {@code independent} when it starts with a keyframe (or holds audio only). */
    record Part(String uri, double duration, boolean independent) {}

    /** Segments are listed with their parts for this many of the newest (RFC 8216bis: the last three target durations). */
    private static final int SEGMENTS_WITH_PARTS = 3;

    /** A variant of a master playlist: its playlist URI and {@code EXT-X-STREAM-INF} attributes. */
    record Variant(String uri, List<String> attributes) {}

    private Playlist() {
    }

    /** A media playlist of {@code segments} (oldest first); {@code ended} adds {@code EXT-X-ENDLIST}. */
    static String media(List<Segment> segments, HlsConfig config, boolean ended) {
        return media(segments, List.of(), null, null, config, ended);
    }

    /**
     * A media playlist with LL-HLS parts ({@code hls_part}): the parts of the newest segments, then {@code pending},
     * the parts of the segment being written (under {@code pendingMap}), then a preload hint for {@code hint}.
     */
    static String media(List<Segment> segments, List<Part> pending, String pendingMap, String hint,
            HlsConfig config, boolean ended) {
        long sequence = segments.isEmpty() ? 0 : segments.getFirst().sequence();
        long target = targetDuration(segments);
        StringBuilder text = new StringBuilder(128 + 64 * segments.size());
        boolean fmp4 = segments.stream().anyMatch(segment -> segment.map() != null);
        text.append("#EXTM3U\n#EXT-X-VERSION:").append(fmp4 ? 7 : 3).append("\n#EXT-X-MEDIA-SEQUENCE:").append(sequence)
            .append("\n#EXT-X-TARGETDURATION:").append(target).append('\n');
        double partTarget = config.part().toMillis() / 1000.0;
        if (partTarget > 0) {
            text.append("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=").append(decimal(3 * partTarget))
                .append("\n#EXT-X-PART-INF:PART-TARGET=").append(decimal(partTarget)).append('\n');
        }
        if (config.type() == HlsConfig.Type.EVENT) {
            text.append("#EXT-X-PLAYLIST-TYPE:EVENT\n");
        }
        if (config.allowClientCache() != HlsConfig.ClientCache.UNSET) {
            text.append("#EXT-X-ALLOW-CACHE:")
                .append(config.allowClientCache() == HlsConfig.ClientCache.ENABLED ? "YES" : "NO").append('\n');
        }
        String map = null;
        for (int i = 0; i < segments.size(); i++) {
            Segment segment = segments.get(i);
            if (segment.discontinuity()) {
                text.append("#EXT-X-DISCONTINUITY\n");
            }
            if (segment.map() != null && !segment.map().equals(map)) {
                map = segment.map();
                text.append("#EXT-X-MAP:URI=\"").append(map).append("\"\n");
            }
            if (segment.keyUri() != null) {
                text.append("#EXT-X-KEY:METHOD=AES-128,URI=\"").append(segment.keyUri()).append("\",IV=0x")
                    .append(HexFormat.of().withUpperCase().formatHex(iv(segment.sequence()))).append('\n');
            }
            if (segment.dateTime() != null) {
                text.append("#EXT-X-PROGRAM-DATE-TIME:").append(DATE_TIME.format(segment.dateTime())).append('\n');
            }
            if (segments.size() - i <= SEGMENTS_WITH_PARTS) {
                segment.parts().forEach(part -> part(text, part));
            }
            text.append("#EXTINF:").append(decimal(segment.duration())).append(",\n")
                .append(segment.uri()).append('\n');
        }
        if (!pending.isEmpty() && pendingMap != null && !pendingMap.equals(map)) {
            text.append("#EXT-X-MAP:URI=\"").append(pendingMap).append("\"\n");
        }
        pending.forEach(part -> part(text, part));
        if (hint != null && !ended) {
            text.append("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"").append(hint).append("\"\n");
        }
        if (ended) {
            text.append("#EXT-X-ENDLIST\n");
        }
        return text.toString();
    }

    /** The {@code EXT-X-TARGETDURATION} of {@code segments}: the longest, rounded to whole seconds, at least 1. */
    static long targetDuration(List<Segment> segments) {
        long target = 1;
        for (Segment segment : segments) {
            target = Math.max(target, (long) Math.ceil(Math.round(segment.duration() * 1000) / 1000.0));
        }
        return target;
    }

    /**
     * The target duration a blocking reload of a playlist over {@code segments} waits three times for: the playlist's
     * own, and at least {@code hls_fragment}.
     */
    static Duration reloadTarget(List<Segment> segments, HlsConfig config) {
        long fragmentSeconds = (config.fragment().toMillis() + 999) / 1000;
        return Duration.ofSeconds(Math.max(targetDuration(segments), fragmentSeconds));
    }

    private static void part(StringBuilder text, Part part) {
        text.append("#EXT-X-PART:DURATION=").append(decimal(part.duration())).append(",URI=\"").append(part.uri())
            .append('"').append(part.independent() ? ",INDEPENDENT=YES" : "").append('\n');
    }

    private static String decimal(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    /** A master playlist listing {@code variants} in order. */
    static String master(List<Variant> variants) {
        StringBuilder text = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n");
        for (Variant variant : variants) {
            text.append("#EXT-X-STREAM-INF:").append(String.join(",", variant.attributes())).append('\n')
                .append(variant.uri()).append('\n');
        }
        return text.toString();
    }

    /** The AES-128 initialisation vector of a segment: its media sequence number, big-endian in 16 bytes. */
    static byte[] iv(long sequence) {
        byte[] iv = new byte[16];
        for (int i = 0; i < 8; i++) {
            iv[15 - i] = (byte) (sequence >>> (8 * i));
        }
        return iv;
    }
}
