package onair.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The {@code hls*} directives of an application (nginx-rtmp's ngx_rtmp_hls_module, same names and defaults).
 *
 * @param path             {@code hls_path}; null when unset (only allowed with {@code hls off})
 * @param maxFragment      {@code hls_max_fragment}, 10 × {@code hls_fragment} when unset
 * @param keyPath          {@code hls_key_path}, {@code hls_path} when unset
 * @param fragmentsPerKey  0: one key for the whole stream
 * @param part             {@code hls_part} (Onair's own): the LL-HLS partial segment target, {@link Duration#ZERO} when off
 * @param muxDelay         how far PTS and DTS run ahead of the PCR (nginx-rtmp parses it but uses a fixed 700 ms)
 */
public record HlsConfig(boolean enabled, Path path, Duration fragment, Duration maxFragment, Duration playlistLength,
        Duration sync, boolean continuous, boolean nested, String baseUrl, boolean cleanup, Naming naming,
        long namingGranularity, Slicing slicing, Type type, List<Variant> variants, Duration muxDelay,
        Duration maxAudioDelay, long audioBufferSize, boolean keys, Path keyPath, String keyUrl, int fragmentsPerKey,
        ClientCache allowClientCache, DateTime datetime, SegmentType segmentType, Duration part) {

    /** {@code hls_fragment_naming}: a counter, the stream timestamp or the system time in milliseconds. */
    public enum Naming { SEQUENTIAL, TIMESTAMP, SYSTEM }

    /** {@code hls_fragment_slicing}: cut at the first keyframe past the fragment length, or at its multiples. */
    public enum Slicing { PLAIN, ALIGNED }

    /** {@code hls_type}: a sliding window, or an {@code EVENT} playlist that only grows. */
    public enum Type { LIVE, EVENT }

    /** {@code hls_allow_client_cache}: whether to write {@code EXT-X-ALLOW-CACHE}, and its value. */
    public enum ClientCache { UNSET, ENABLED, DISABLED }

    /** {@code hls_segment_type} (Onair's own): MPEG-TS segments, or fragmented MP4 (CMAF) with an init segment. */
    public enum SegmentType { MPEGTS, FMP4 }

    /** {@code hls_datetime}: what {@code EXT-X-PROGRAM-DATE-TIME} carries, if anything. */
    public enum DateTime { NONE, SYSTEM, TIMESTAMP }

    /**
     * One {@code hls_variant}: streams published as NAME + suffix are listed in the master playlist NAME.m3u8.
     *
     * @param attributes {@code EXT-X-STREAM-INF} attributes given in the directive, such as {@code BANDWIDTH=640000}
     */
    public record Variant(String suffix, List<String> attributes) {

        public Variant {
            Objects.requireNonNull(suffix, "suffix");
            attributes = List.copyOf(attributes);
        }
    }

    public HlsConfig {
        Objects.requireNonNull(fragment, "fragment");
        Objects.requireNonNull(maxFragment, "maxFragment");
        Objects.requireNonNull(playlistLength, "playlistLength");
        Objects.requireNonNull(sync, "sync");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(naming, "naming");
        Objects.requireNonNull(slicing, "slicing");
        Objects.requireNonNull(type, "type");
        variants = List.copyOf(variants);
        Objects.requireNonNull(muxDelay, "muxDelay");
        Objects.requireNonNull(maxAudioDelay, "maxAudioDelay");
        Objects.requireNonNull(keyUrl, "keyUrl");
        Objects.requireNonNull(allowClientCache, "allowClientCache");
        Objects.requireNonNull(datetime, "datetime");
        Objects.requireNonNull(segmentType, "segmentType");
        Objects.requireNonNull(part, "part");
        if (enabled && path == null) {
            throw new IllegalArgumentException("hls on without hls_path");
        }
    }

    /** The settings of an application without any {@code hls*} directive. */
    public static HlsConfig off() {
        return new HlsConfig(false, null, Duration.ofSeconds(5), Duration.ofSeconds(50), Duration.ofSeconds(30),
            Duration.ofMillis(2), true, false, "", true, Naming.SEQUENTIAL, 0, Slicing.PLAIN, Type.LIVE, List.of(),
            Duration.ofMillis(700), Duration.ofMillis(300), 1 << 20, false, null, "", 0, ClientCache.UNSET,
            DateTime.NONE, SegmentType.MPEGTS, Duration.ZERO);
    }
}
