package onair.hls;

import onair.config.ApplicationConfig;
import onair.config.HlsConfig;
import onair.config.ServerConfig;
import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.stream.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The HLS output of a server: attaches an {@link HlsStream} to each publication of an application with {@code hls on}
 * (the application of that name in the first server block that has one, as streams are keyed by application name),
 * keeps each playlist's window across republishing for {@code hls_continuous}, and owns the server's
 * {@link HlsWriter}. An application that writes HLS over its DASH segments
 * ({@link ApplicationConfig#hlsOverDash()}) gets its playlists from the DASH output instead.
 */
public final class HlsOutput implements StreamObserver, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HlsOutput.class);
    /** How long a stopped stream's window is kept for a republish when its files are not cleaned up. */
    private static final long KEPT_WITHOUT_CLEANUP_MILLIS = 24 * 3_600_000L;
    /** Stream names become file names: no path separators, no leading dot, printable ASCII. */
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_\\-][A-Za-z0-9_\\-.~+=@,]{0,199}");

    private final Supplier<ServerConfig> config;
    private final HlsWriter writer;
    private final Map<Path, History> histories = new ConcurrentHashMap<>();
    /** The media playlist (absolute, normalised) of each stream written now. */
    private final Map<Path, Written> playlists = new ConcurrentHashMap<>();

    /** A stream written now, and whether its files are in a directory of their own ({@code hls_nested}). */
    private record Written(StreamKey stream, boolean nested) {}

    public HlsOutput(Supplier<ServerConfig> config) {
        this(config, (playlist, sequence, parts, target, ended) -> { });
    }

    /** An HLS output that tells {@code listener} of each LL-HLS media playlist it has written. */
    public HlsOutput(Supplier<ServerConfig> config, PlaylistListener listener) {
        this.config = config;
        this.writer = new HlsWriter(listener);
    }

    /**
     * Told, on the writer thread once the file is in place, of each LL-HLS ({@code hls_part}) media playlist written:
     * it lists every segment before {@code sequence} and {@code parts} parts of segment {@code sequence};
     * {@code ended} when it ends the stream.
     */
    @FunctionalInterface
    public interface PlaylistListener {
        void written(Path playlist, long sequence, int parts, Duration targetDuration, boolean ended);
    }

    @Override
    public void published(LiveStream stream) {
        StreamKey key = stream.key();
        Optional<ApplicationConfig> app = config.get().application(key.app(), stream.publisher().orElse(null));
        if (app.isEmpty() || !app.get().hls().enabled() || app.get().hlsOverDash()) {
            return;
        }
        HlsConfig hls = app.get().hls();
        if (!SAFE_NAME.matcher(key.name()).matches()) {
            log.warn("hls {}: the stream name cannot be a file name; not written as HLS", key);
            return;
        }
        Layout layout = Layout.of(hls, key.name());
        long now = System.currentTimeMillis();
        histories.values().removeIf(old -> old.forgettable(now));
        History history = histories.compute(layout.playlist(), (path, old) ->
            old == null || !hls.continuous() ? new History(this, layout, hls) : old);
        history.live(key);
        if (hls.cleanup()) {
            writer.sweep(hls.path(), hls.playlistLength());
            if (hls.keys() && !hls.keyPath().equals(hls.path())) {
                writer.sweep(hls.keyPath(), hls.playlistLength());
            }
        }
        HlsStream output = new HlsStream(key, hls, writer, history, layout);
        output.attach(stream.subscribe(output));
    }

    /**
     * The live stream whose HLS files {@code file} belongs to: its media playlist, or a segment, part or init file
     * next to it ({@code NAME-…} beside {@code NAME.m3u8}, or anything beside a nested {@code index.m3u8}); empty for
     * any other file. No file system access.
     */
    public Optional<StreamKey> streamOf(Path file) {
        Path path = file.toAbsolutePath().normalize();
        Written written = playlists.get(path);
        Path dir = path.getParent();
        if (written == null && dir != null && path.getFileName() != null) {
            Written nested = playlists.get(dir.resolve("index.m3u8"));
            written = nested != null && nested.nested() ? nested : null;
            String name = path.getFileName().toString();
            for (int dash = name.lastIndexOf('-'); written == null && dash > 0; dash = name.lastIndexOf('-', dash - 1)) {
                Written beside = playlists.get(dir.resolve(name.substring(0, dash) + ".m3u8"));
                written = beside != null && !beside.nested() ? beside : null;
            }
        }
        return Optional.ofNullable(written).map(Written::stream);
    }

    /** Finishes queued writes (bounded); call once every publication has stopped. */
    @Override
    public void close() {
        writer.close();
    }

    /**
     * Where one stream's files go: {@code PATH/NAME.m3u8} and {@code PATH/NAME-ID.ts}, or with {@code hls_nested}
     * {@code PATH/NAME/index.m3u8} and {@code PATH/NAME/ID.ts}; keys likewise under {@code hls_key_path}.
     */
    record Layout(String name, Path dir, Path playlist, Path keyDir, String prefix, HlsConfig config,
                  Path masterPlaylist, String variantBase) {

        static Layout of(HlsConfig config, String name) {
            Path dir = config.nested() ? config.path().resolve(name) : config.path();
            Path keyDir = config.nested() ? config.keyPath().resolve(name) : config.keyPath();
            Path playlist = config.nested() ? dir.resolve("index.m3u8") : dir.resolve(name + ".m3u8");
            Path master = null;
            String base = null;
            for (HlsConfig.Variant variant : config.variants()) {
                if (name.endsWith(variant.suffix()) && name.length() > variant.suffix().length()) {
                    base = name.substring(0, name.length() - variant.suffix().length());
                    master = config.path().resolve(base + ".m3u8");
                    break;
                }
            }
            return new Layout(name, dir, playlist, keyDir, config.nested() ? "" : name + "-", config, master, base);
        }

        String segmentName(long id) {
            return prefix + id + (config.segmentType() == HlsConfig.SegmentType.FMP4 ? ".m4s" : ".ts");
        }

        String partName(long sequence, int index) {
            return prefix + sequence + "." + index + ".m4s";
        }

        String initName(long sequence) {
            return prefix + "init-" + sequence + ".mp4";
        }

        String segmentUri(String segmentName) {
            return config.baseUrl() + segmentName;
        }

        String keyName(long id) {
            return prefix + id + ".key";
        }

        String keyUri(String keyName) {
            return config.keyUrl() + keyName;
        }

        /**
         * The layout of video track {@code track} of a multitrack publish, whose master playlist takes this layout's
         * playlist name: the track's media playlist is {@code NAME-vN.m3u8} ({@code vN.m3u8} when nested), its
         * segments {@code NAME-vN-ID.ts}, but track 0 keeps the stream's segment names.
         */
        Layout track(int track) {
            String file = config.nested() ? "v" + track : name + "-v" + track;
            return new Layout(name, dir, dir.resolve(file + ".m3u8"), keyDir, track == 0 ? prefix : file + "-",
                config, playlist, null);
        }

        /** The URI of variant {@code suffix}'s media playlist in the master playlist. */
        String variantUri(String suffix) {
            return config.baseUrl() + variantBase + suffix + (config.nested() ? "/index.m3u8" : ".m3u8");
        }
    }

    /**
     * What outlives one publication of a playlist: the window of segments and the next media sequence number (kept
     * across republishing with {@code hls_continuous on}), and what the streams' codecs and bitrate were, for the
     * master playlist.
     */
    static final class History {

        private final HlsOutput output;
        private final Layout layout;
        private final HlsConfig config;
        private final List<Playlist.Segment> window = new ArrayList<>();
        private long nextSequence;
        private volatile String videoCodec;
        private volatile String audioCodec;
        private volatile String resolution;
        private volatile long bandwidth;
        private volatile long stoppedAt;
        private volatile StreamKey stream;

        History(HlsOutput output, Layout layout, HlsConfig config) {
            this.output = output;
            this.layout = layout;
            this.config = config;
        }

        void live(StreamKey key) {
            stoppedAt = 0;
            stream = key;
            output.playlists.put(playlistKey(), new Written(key, config.nested()));
        }

        void stopped() {
            stoppedAt = System.currentTimeMillis();
            StreamKey key = stream;
            if (key != null) {
                output.playlists.remove(playlistKey(), new Written(key, config.nested()));
            }
        }

        private Path playlistKey() {
            return layout.playlist().toAbsolutePath().normalize();
        }

        /**
         * Stopped long enough ago that its playlist is gone ({@code hls_cleanup}: two playlist lengths, as its
         * segments), or a day ago without cleanup: a republish then starts afresh.
         */
        boolean forgettable(long now) {
            long stopped = stoppedAt;
            long kept = config.cleanup() ? 2 * config.playlistLength().toMillis() : KEPT_WITHOUT_CLEANUP_MILLIS;
            return stopped != 0 && stopped + kept < now;
        }

        synchronized List<Playlist.Segment> window() {
            return List.copyOf(window);
        }

        synchronized long nextSequence() {
            return nextSequence++;
        }

        /** Adds a finished segment and slides the window ({@code hls_type live}); returns the window. */
        synchronized List<Playlist.Segment> add(Playlist.Segment segment, HlsConfig config) {
            window.add(segment);
            if (config.type() == HlsConfig.Type.LIVE) {
                double total = window.stream().mapToDouble(Playlist.Segment::duration).sum();
                double length = config.playlistLength().toMillis() / 1000.0;
                while (window.size() > 1 && total - window.getFirst().duration() >= length) {
                    total -= window.removeFirst().duration();
                }
            }
            return List.copyOf(window);
        }

        synchronized void remove(Playlist.Segment segment) {
            window.remove(segment);
        }

        void observeVideo(String codec, String resolution) {
            this.videoCodec = codec;
            this.resolution = resolution;
        }

        void observeAudio(String codec) {
            this.audioCodec = codec;
        }

        void measured(long bytes, double seconds) {
            if (seconds > 0.1) {
                bandwidth = Math.max(bandwidth, (long) (bytes * 8 / seconds));
            }
        }

        /** The master playlist this stream belongs to with what is known of each variant, or null if none. */
        String masterPlaylist() {
            if (layout.masterPlaylist() == null) {
                return null;
            }
            List<Playlist.Variant> variants = new ArrayList<>();
            for (HlsConfig.Variant variant : config.variants()) {
                Layout sibling = Layout.of(config, layout.variantBase() + variant.suffix());
                History known = output.histories.get(sibling.playlist());
                List<String> attributes = new ArrayList<>(variant.attributes());
                if (known != null) {
                    known.describe(attributes);
                }
                if (attributes.stream().anyMatch(a -> a.startsWith("BANDWIDTH="))) {
                    variants.add(new Playlist.Variant(layout.variantUri(variant.suffix()), attributes));
                }
            }
            return Playlist.master(variants);
        }

        /** A history of the same stream's video track {@code track}, for its own media playlist. */
        History track(int track) {
            return new History(output, layout.track(track), config);
        }

        /** This history's playlist, laid out as {@code track}, as a variant; null before its bandwidth is measured. */
        Playlist.Variant variant(Layout track) {
            List<String> attributes = new ArrayList<>();
            describe(attributes);
            return bandwidth > 0 ? new Playlist.Variant(track.segmentUri(track.playlist().getFileName().toString()),
                attributes) : null;
        }

        private void describe(List<String> attributes) {
            if (bandwidth > 0 && attributes.stream().noneMatch(a -> a.startsWith("BANDWIDTH="))) {
                attributes.add("BANDWIDTH=" + bandwidth);
            }
            if (resolution != null && attributes.stream().noneMatch(a -> a.startsWith("RESOLUTION="))) {
                attributes.add("RESOLUTION=" + resolution);
            }
            String codecs = videoCodec == null ? audioCodec : audioCodec == null ? videoCodec
                : videoCodec + "," + audioCodec;
            if (codecs != null && attributes.stream().noneMatch(a -> a.startsWith("CODECS="))) {
                attributes.add("CODECS=\"" + codecs + "\"");
            }
        }
    }
}
