package onair.vod;

import onair.config.PlayConfig;
import onair.flv.FlvDemuxer;
import onair.media.ByteSource;
import onair.media.FileByteSource;
import onair.media.FrameReader;
import onair.mp4.Mp4Demuxer;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Finds a played name among an application's {@code play} locations as nginx-rtmp's play module does: a
 * {@code flv:} or {@code mp4:} prefix or a {@code .flv}/{@code .mp4} suffix picks the format (FLV when neither),
 * the suffix is added when missing, and the locations are tried in order. Local files are read in place, remote
 * ones with HTTP range requests to {@code URL/NAME?addr=CLIENT}.
 */
public final class PlayFiles {

    private static final Duration REMOTE_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_NAME = 1024;

    private final PlayConfig play;
    private final HttpClient http;

    /** The client remote files are read with, shared by every play; made on first use. */
    public static HttpClient sharedClient() {
        return Shared.CLIENT;
    }

    private static final class Shared {
        static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(REMOTE_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public PlayFiles(PlayConfig play, HttpClient http) {
        this.play = play;
        this.http = http;
    }

    /** The file part of a played name and the format it is read as. */
    public record FileName(String path, boolean mp4) {

        /**
         * The file {@code name} names; a name that leaves its directory ({@code ..} segments, an absolute path, a
         * backslash or a control character) is an {@link IllegalArgumentException}.
         */
        public static FileName parse(String name) {
            String path = name;
            Boolean mp4 = null;
            if (path.startsWith("mp4:") || path.startsWith("flv:")) {
                mp4 = path.startsWith("mp4:");
                path = path.substring(4);
            }
            String lower = path.toLowerCase(Locale.ROOT);
            if (mp4 == null) {
                mp4 = lower.endsWith(".mp4");
            }
            String suffix = mp4 ? ".mp4" : ".flv";
            if (!lower.endsWith(suffix)) {
                path += suffix;
            }
            if (path.length() > MAX_NAME || path.startsWith("/") || path.contains("\\")
                    || path.chars().anyMatch(c -> c < 0x20 || c == 0x7F)
                    || ("/" + path + "/").contains("/../") || ("/" + path + "/").contains("/./")) {
                throw new IllegalArgumentException("file name \"" + name + "\" leaves the play directory");
            }
            return new FileName(path, mp4);
        }
    }

    /**
     * Opens {@code name} from the first location that has it; {@code client} and {@code args} go into the query of
     * remote requests.
     *
     * @throws FileNotFoundException when no location has it
     * @throws IOException           when a file is found but cannot be read as its format
     */
    public FrameReader open(FileName name, String client, String args) throws IOException {
        for (PlayConfig.Location location : play.locations()) {
            ByteSource source;
            try {
                source = location.directory() != null ? local(location.directory(), name)
                    : HttpByteSource.open(http, remote(location.url(), name, client, args), REMOTE_TIMEOUT);
            } catch (FileNotFoundException e) {
                continue;
            }
            try {
                return name.mp4() ? Mp4Demuxer.open(source) : FlvDemuxer.open(source);
            } catch (IOException | RuntimeException e) {
                source.close();
                throw new IOException(name.path() + ": " + e.getMessage(), e);
            }
        }
        throw new FileNotFoundException(name.path());
    }

    private static ByteSource local(Path directory, FileName name) throws IOException {
        Path file = directory.resolve(name.path()).normalize();
        if (!file.startsWith(directory) || !Files.isRegularFile(file)) {
            throw new FileNotFoundException(file.toString());
        }
        return FileByteSource.open(file);
    }

    static URI remote(URI base, FileName name, String client, String args) {
        String root = base.toString().endsWith("/") ? base.toString() : base + "/";
        StringBuilder uri = new StringBuilder(root);
        for (String segment : name.path().split("/", -1)) {
            uri.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20")).append('/');
        }
        uri.setLength(uri.length() - 1);
        uri.append("?addr=").append(URLEncoder.encode(client, StandardCharsets.UTF_8));
        if (!args.isEmpty()) {
            uri.append('&').append(args);
        }
        return URI.create(uri.toString());
    }
}
