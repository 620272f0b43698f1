package onair.dash;

import onair.config.ApplicationConfig;
import onair.config.DashConfig;
import onair.config.HlsConfig;
import onair.config.ServerConfig;
import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.stream.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The MPEG-DASH output of a server: attaches a {@link DashStream} to each publication of an application with
 * {@code dash on} (the application of that name in the first server block that has one, as streams are keyed by
 * application name), and owns the server's {@link DashWriter}. Where the application writes HLS over the DASH
 * segments ({@link ApplicationConfig#hlsOverDash()}), the stream writes the HLS playlists too.
 */
public final class DashOutput implements StreamObserver, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DashOutput.class);
    /** Stream names become file names: no path separators, no leading dot, printable ASCII. */
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_\\-][A-Za-z0-9_\\-.~+=@,]{0,199}");

    private final Supplier<ServerConfig> config;
    private final String timeUri;
    private final DashWriter writer = new DashWriter();
    /** The streams written with HLS over their DASH segments, by {@link Layout#files()}. */
    private final Map<String, StreamKey> hlsStreams = new ConcurrentHashMap<>();

    /**
     * @param timeUri the URI of Onair's own time source ({@code urn:mpeg:dash:utc:http-iso:2014}) that manifests
     *                announce unless {@code dash_clock_helper_uri} names another
     */
    public DashOutput(Supplier<ServerConfig> config, String timeUri) {
        this.config = config;
        this.timeUri = timeUri;
    }

    @Override
    public void published(LiveStream stream) {
        StreamKey key = stream.key();
        Optional<ApplicationConfig> app = config.get().application(key.app(), stream.publisher().orElse(null));
        if (app.isEmpty() || !app.get().dash().enabled()) {
            return;
        }
        DashConfig dash = app.get().dash();
        if (!SAFE_NAME.matcher(key.name()).matches()) {
            log.warn("dash {}: the stream name cannot be a file name; not written as DASH", key);
            return;
        }
        Layout layout = Layout.of(dash, key.name());
        writer.keep(layout.manifest());
        Mpd.UtcTiming timing = new Mpd.UtcTiming(dash.clock().scheme(),
            dash.clockHelperUri().isEmpty() ? timeUri : dash.clockHelperUri());
        HlsConfig hls = app.get().hlsOverDash() ? app.get().hls() : null;
        String files = layout.files();
        if (hls != null) {
            hlsStreams.put(files, key);
        }
        DashStream output = new DashStream(key, dash, writer, layout, timing, hls, () -> hlsStreams.remove(files, key));
        output.attach(stream.subscribe(output));
    }

    /**
     * The live stream written with HLS over its DASH segments that {@code file} belongs to: its master or a media
     * playlist, or a segment or init file ({@code NAME-…} beside {@code NAME.m3u8}, the longest such name winning, or
     * anything beside a nested {@code index.m3u8}); empty for any other file. No file system access.
     */
    public Optional<StreamKey> streamOf(Path file) {
        Path path = file.toAbsolutePath().normalize();
        Path dir = path.getParent();
        if (dir == null || path.getFileName() == null || hlsStreams.isEmpty()) {
            return Optional.empty();
        }
        String name = path.getFileName().toString();
        String base = dir + "/";
        StreamKey key = name.endsWith(".m3u8") ? hlsStreams.get(base + name.substring(0, name.length() - 5) + "-")
            : null;
        for (int dash = name.lastIndexOf('-'); key == null && dash > 0; dash = name.lastIndexOf('-', dash - 1)) {
            key = hlsStreams.get(base + name.substring(0, dash + 1));
        }
        return Optional.ofNullable(key != null ? key : hlsStreams.get(base));
    }

    /** Finishes queued writes (bounded); call once every publication has stopped. */
    @Override
    public void close() {
        writer.close();
    }

    /**
     * Where one stream's files go, as nginx-rtmp lays them out: {@code PATH/NAME.mpd} with {@code NAME-init.m4v},
     * {@code NAME-init.m4a} and {@code NAME-TIME.m4v}/{@code .m4a} beside it, or with {@code dash_nested}
     * {@code PATH/NAME/index.mpd} with {@code init.m4v}, {@code TIME.m4v}, …; HLS over them names the video files
     * {@code .mp4} and adds {@code NAME.m3u8} with {@code NAME-video.m3u8} and {@code NAME-audio.m3u8} (nested:
     * {@code index.m3u8}, {@code video.m3u8}, …).
     *
     * @param prefix what the files' names start with, relative to the manifest
     */
    record Layout(Path dir, Path manifest, String prefix, boolean nested) {

        static Layout of(DashConfig config, String name) {
            return config.nested()
                ? new Layout(config.path().resolve(name), config.path().resolve(name).resolve("index.mpd"), "", true)
                : new Layout(config.path(), config.path().resolve(name + ".mpd"), name + "-", false);
        }

        String init(String extension) {
            return prefix + "init." + extension;
        }

        String media(String extension) {
            return prefix + "$Time$." + extension;
        }

        String segment(long time, String extension) {
            return prefix + time + "." + extension;
        }

        /** What the names of the stream's files start with: {@code DIR/NAME-}, or {@code DIR/NAME/} when nested. */
        String files() {
            return dir.toAbsolutePath().normalize() + "/" + prefix;
        }

        /** The layout of a rendition's files: their names start with {@code part} too. */
        Layout rendition(String part) {
            return new Layout(dir, manifest, prefix + part, nested);
        }

        /** The HLS master playlist where HLS would write its playlist: {@code NAME.m3u8} or {@code NAME/index.m3u8}. */
        Path hlsMaster() {
            String mpd = manifest.getFileName().toString();
            return manifest.resolveSibling(mpd.substring(0, mpd.length() - ".mpd".length()) + ".m3u8");
        }

        /** The HLS media playlist of a {@code track} ({@code video} or {@code audio}) beside the master. */
        Path hlsMedia(String track) {
            return dir.resolve(prefix + track + ".m3u8");
        }
    }
}
