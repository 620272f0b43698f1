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

    static final Settings SETTINGS = new Settings();
    static final Setting<Boolean> ENABLED = SETTINGS.flag("hls", Context.APPLICATIONS, false);
    static final Setting<Path> PATH = SETTINGS.path("hls_path", Context.APPLICATIONS);
    static final Setting<Duration> FRAGMENT =
            SETTINGS.value("hls_fragment", Context.APPLICATIONS, Duration.ofSeconds(5), Units::positiveTime);
    static final Setting<Duration> MAX_FRAGMENT = SETTINGS.value("hls_max_fragment", Context.APPLICATIONS, null, Units::positiveTime);
    static final Setting<Duration> PLAYLIST_LENGTH =
            SETTINGS.value("hls_playlist_length", Context.APPLICATIONS, Duration.ofSeconds(30), Units::positiveTime);
    static final Setting<Duration> SYNC = SETTINGS.value("hls_sync", Context.APPLICATIONS, Duration.ofMillis(2), Units::time);
    static final Setting<Boolean> CONTINUOUS = SETTINGS.flag("hls_continuous", Context.APPLICATIONS, true);
    static final Setting<Boolean> NESTED = SETTINGS.flag("hls_nested", Context.APPLICATIONS, false);
    static final Setting<String> BASE_URL = SETTINGS.value("hls_base_url", Context.APPLICATIONS, "", v -> v);
    static final Setting<Boolean> CLEANUP = SETTINGS.flag("hls_cleanup", Context.APPLICATIONS, true);
    static final Setting<Naming> NAMING = SETTINGS.value("hls_fragment_naming", Context.APPLICATIONS, Naming.SEQUENTIAL,
            v -> Units.choice(v, Naming.class, "sequential", "timestamp", "system"));
    static final Setting<Long> NAMING_GRANULARITY = SETTINGS.value("hls_fragment_naming_granularity", Context.APPLICATIONS, 0L,
            v -> Units.bounded(Units.integer(v), 0, 1L << 40));
    static final Setting<Slicing> SLICING = SETTINGS.value("hls_fragment_slicing", Context.APPLICATIONS, Slicing.PLAIN,
            v -> Units.choice(v, Slicing.class, "plain", "aligned"));
    /** Each {@code hls_variant} of a block adds one; a block with its own replaces the inherited ones. */
    static final Setting<List<Variant>> VARIANTS = SETTINGS.list(List.of("hls_variant"), Context.APPLICATIONS, 1, Integer.MAX_VALUE,
            Setting.joined(Units::variant));
    static final Setting<Type> TYPE =
            SETTINGS.value("hls_type", Context.APPLICATIONS, Type.LIVE, v -> Units.choice(v, Type.class, "live", "event"));
    static final Setting<Duration> MUX_DELAY = SETTINGS.value("hls_muxdelay", Context.APPLICATIONS, Duration.ofMillis(700), Units::time);
    static final Setting<Duration> MAX_AUDIO_DELAY =
            SETTINGS.value("hls_max_audio_delay", Context.APPLICATIONS, Duration.ofMillis(300), Units::time);
    static final Setting<Long> AUDIO_BUFFER_SIZE = SETTINGS.value("hls_audio_buffer_size", Context.APPLICATIONS, 1L << 20,
            v -> Units.bounded(Units.size(v), 1, 64L << 20));
    static final Setting<Boolean> KEYS = SETTINGS.flag("hls_keys", Context.APPLICATIONS, false);
    static final Setting<Path> KEY_PATH = SETTINGS.path("hls_key_path", Context.APPLICATIONS);
    static final Setting<String> KEY_URL = SETTINGS.value("hls_key_url", Context.APPLICATIONS, "", v -> v);
    static final Setting<Integer> FRAGMENTS_PER_KEY = SETTINGS.value("hls_fragments_per_key", Context.APPLICATIONS, 0,
            v -> (int) Units.bounded(Units.integer(v), 0, Integer.MAX_VALUE));
    static final Setting<ClientCache> ALLOW_CLIENT_CACHE = SETTINGS.value("hls_allow_client_cache", Context.APPLICATIONS,
            ClientCache.UNSET, v -> Units.choice(v, ClientCache.class, null, "enabled", "disabled"));
    static final Setting<DateTime> DATETIME = SETTINGS.value("hls_datetime", Context.APPLICATIONS, DateTime.NONE,
            v -> Units.choice(v, DateTime.class, "none", "system", "timestamp"));
    static final Setting<SegmentType> SEGMENT_TYPE = SETTINGS.value("hls_segment_type", Context.APPLICATIONS, SegmentType.MPEGTS,
            v -> Units.choice(v, SegmentType.class, "mpegts", "fmp4"));
    static final Setting<Duration> PART = SETTINGS.value("hls_part", Context.APPLICATIONS, Duration.ZERO, Units::subsecond);

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

    /** The HLS settings in force in the application {@code app}; combinations HLS cannot write are refused. */
    static HlsConfig from(Scope app) {
        boolean enabled = app.get(ENABLED);
        Path path = app.get(PATH);
        String application = " application \"" + app.name() + "\"";
        if (enabled && path == null) {
            throw ConfigException.at(app.block(), "\"hls\" is on but no \"hls_path\" is set for" + application);
        }
        SegmentType segmentType = app.get(SEGMENT_TYPE);
        if (enabled && app.get(KEYS) && segmentType == SegmentType.FMP4) {
            throw ConfigException.at(app.block(),
                    "\"hls_keys\" is not supported with \"hls_segment_type fmp4\" in" + application);
        }
        Duration part = app.get(PART);
        if (enabled && !part.isZero() && segmentType != SegmentType.FMP4) {
            throw ConfigException.at(app.block(), "\"hls_part\" needs \"hls_segment_type fmp4\" in" + application);
        }
        Duration fragment = app.get(FRAGMENT);
        return new HlsConfig(enabled, path, fragment, app.find(MAX_FRAGMENT).orElse(fragment.multipliedBy(10)),
                app.get(PLAYLIST_LENGTH), app.get(SYNC), app.get(CONTINUOUS), app.get(NESTED), app.get(BASE_URL),
                app.get(CLEANUP), app.get(NAMING), app.get(NAMING_GRANULARITY), app.get(SLICING), app.get(TYPE),
                app.get(VARIANTS), app.get(MUX_DELAY), app.get(MAX_AUDIO_DELAY), app.get(AUDIO_BUFFER_SIZE),
                app.get(KEYS), app.find(KEY_PATH).orElse(path), app.get(KEY_URL), app.get(FRAGMENTS_PER_KEY),
                app.get(ALLOW_CLIENT_CACHE), app.get(DATETIME), segmentType, part);
    }

    /** The settings of an application without any {@code hls*} directive. */
    public static HlsConfig off() {
        return new HlsConfig(false, null, Duration.ofSeconds(5), Duration.ofSeconds(50), Duration.ofSeconds(30),
            Duration.ofMillis(2), true, false, "", true, Naming.SEQUENTIAL, 0, Slicing.PLAIN, Type.LIVE, List.of(),
            Duration.ofMillis(700), Duration.ofMillis(300), 1 << 20, false, null, "", 0, ClientCache.UNSET,
            DateTime.NONE, SegmentType.MPEGTS, Duration.ZERO);
    }
}
