package onair.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How far behind live an HLS client can be: the generator's own RTMP publisher replays an FLV in real time while
 * this probe follows the stream's media playlist, and for every part (LL-HLS) and segment that newly appears it
 * downloads it and records the time from the publisher sending the part's first frame (learnt from the fMP4
 * {@code tfdt} or the MPEG-TS PCR) until the download completed. It uses
 * blocking playlist reload (RFC 8216bis §6.2.5.2) when the playlist advertises {@code CAN-BLOCK-RELOAD=YES}, else
 * polls. {@code bench/run hls} is the command line.
 */
public final class HlsProbe {

    static final String USAGE = """
        usage: bench/run hls --url http://host:port/path/STREAM.m3u8 --publish-url rtmp://host:port/app/STREAM --flv FILE
          --duration S       seconds to measure after the playlist first answers (20)
          --reload R         auto: blocking playlist reload when the playlist advertises CAN-BLOCK-RELOAD, else
                             polling; poll: always poll (auto)
          --poll-ms MS       polling interval (default: the PART-TARGET, or 500 ms without parts)
          --out FILE         write the report as JSON
          --label NAME       a name for the run in the report""";

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final long PLAYLIST_WAIT_NANOS = 30_000_000_000L;
    private static final int SEEN_LIMIT = 10_000;

    /** The probe's options; {@code pollMillis} 0 picks the default. */
    public record Options(String url, String publishUrl, Path flv, double durationSeconds, boolean blocking,
                          long pollMillis, Path out, String label) {

        public Options {
            URI uri = URI.create(url);
            if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http:// playlist URL: " + url);
            }
            Target.parse(publishUrl);
            if (flv == null || durationSeconds <= 0 || pollMillis < 0) {
                throw new IllegalArgumentException("--flv is required, --duration > 0, --poll-ms ≥ 0");
            }
        }

        static Options parse(String... args) {
            Map<String, String> values = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--") || i + 1 == args.length) {
                    throw new IllegalArgumentException("expected --name value, got " + args[i]);
                }
                values.put(args[i].substring(2), args[++i]);
            }
            String url = values.remove("url");
            String publishUrl = values.remove("publish-url");
            String flv = values.remove("flv");
            String out = values.remove("out");
            String reload = values.getOrDefault("reload", "auto");
            if (url == null || publishUrl == null || !(reload.equals("auto") || reload.equals("poll"))) {
                throw new IllegalArgumentException("--url and --publish-url are required; --reload is auto or poll");
            }
            Options options = new Options(url, publishUrl, flv == null ? null : Path.of(flv),
                Double.parseDouble(values.getOrDefault("duration", "20")), reload.equals("auto"),
                Long.parseLong(values.getOrDefault("poll-ms", "0")), out == null ? null : Path.of(out),
                values.getOrDefault("label", ""));
            values.keySet().removeAll(Set.of("duration", "reload", "poll-ms", "label"));
            if (!values.isEmpty()) {
                throw new IllegalArgumentException("unknown options " + values.keySet());
            }
            return options;
        }
    }

    private final Options options;
    private final URI playlistUri;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    private final Histogram parts = new Histogram();
    private final Histogram segments = new Histogram();
    private final Map<String, Map<Integer, Track>> inits = new HashMap<>();
    private final Set<String> seen = new LinkedHashSet<>();
    private int unmatched;
    private int errors;
    private long playlistRequests;
    private boolean usedBlocking;
    private MediaPlaylist last;

    private HlsProbe(Options options) {
        this.options = options;
        this.playlistUri = URI.create(options.url());
    }

    /** Publishes, follows the playlist for the duration, and reports. */
    public static HlsProbeReport run(Options options) throws IOException, InterruptedException {
        return new HlsProbe(options).run();
    }

    private HlsProbeReport run() throws IOException, InterruptedException {
        try (LoadGenerator publisher = LoadGenerator.start(
                LoadOptions.of(options.publishUrl(), 0, 1, options.flv(), 100, options.durationSeconds()))) {
            SendClock clock = publisher.clock(0);
            MediaPlaylist playlist = firstPlaylist();
            long start = System.nanoTime();
            long end = start + (long) (options.durationSeconds() * 1e9);
            boolean first = true;
            while (playlist != null) {
                last = playlist;
                for (MediaPlaylist.Entry entry : playlist.entries()) {
                    if (seen.add(entry.uri()) && !first) {
                        measure(entry, clock);
                    }
                }
                trimSeen();
                first = false;
                if (playlist.ended() || System.nanoTime() >= end) {
                    break;
                }
                playlist = next(playlist, end);
            }
            return report((System.nanoTime() - start) / 1e9);
        }
    }

    private MediaPlaylist firstPlaylist() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + PLAYLIST_WAIT_NANOS;
        while (System.nanoTime() < deadline) {
            HttpResponse<byte[]> response = get(playlistUri);
            if (response.statusCode() == 200) {
                return MediaPlaylist.parse(new String(response.body(), StandardCharsets.UTF_8));
            }
            Thread.sleep(100);
        }
        throw new IOException("no playlist at " + playlistUri + " within 30 s of publishing");
    }

    /** The next playlist: a blocking reload for the next part when the server offers it, else the next poll. */
    private MediaPlaylist next(MediaPlaylist current, long end) throws IOException, InterruptedException {
        URI uri = playlistUri;
        if (options.blocking() && current.canBlockReload() && current.partTarget() > 0) {
            usedBlocking = true;
            uri = URI.create(options.url() + (options.url().contains("?") ? "&" : "?") + "_HLS_msn="
                + current.nextSequence() + "&_HLS_part=" + current.nextPart());
        } else {
            long wait = pollMillis(current);
            Thread.sleep(Math.max(0, Math.min(wait, (end - System.nanoTime()) / 1_000_000)));
        }
        HttpResponse<byte[]> response = get(uri);
        if (response.statusCode() != 200) {
            errors++;
            Thread.sleep(pollMillis(current));
            return current;
        }
        return MediaPlaylist.parse(new String(response.body(), StandardCharsets.UTF_8));
    }

    private long pollMillis(MediaPlaylist playlist) {
        if (options.pollMillis() > 0) {
            return options.pollMillis();
        }
        return playlist.partTarget() > 0 ? Math.round(playlist.partTarget() * 1000) : 500;
    }

    private void measure(MediaPlaylist.Entry entry, SendClock clock) throws IOException, InterruptedException {
        URI uri = playlistUri.resolve(entry.uri());
        HttpResponse<byte[]> response = get(uri);
        long done = System.nanoTime();
        if (response.statusCode() != 200) {
            errors++;
            return;
        }
        long startMillis;
        long videoStartMillis = -1;
        if (entry.map() != null) {
            Map<Integer, Track> tracks = inits.get(entry.map());
            if (tracks == null) {
                HttpResponse<byte[]> init = get(playlistUri.resolve(entry.map()));
                if (init.statusCode() != 200) {
                    errors++;
                    return;
                }
                tracks = Mp4.tracks(init.body());
                inits.put(entry.map(), tracks);
            }
            startMillis = Mp4.startMillis(response.body(), tracks, false);
            videoStartMillis = Mp4.startMillis(response.body(), tracks, true);
        } else {
            startMillis = tsStartMillis(response.body());
        }
        long sent = startMillis < 0 ? Long.MIN_VALUE : clock.sentNanos((int) startMillis);
        if (sent == Long.MIN_VALUE && videoStartMillis >= 0) {
            sent = clock.sentNanos((int) videoStartMillis);
        }
        if (sent == Long.MIN_VALUE) {
            unmatched++;
            return;
        }
        (entry.part() ? parts : segments).record(Math.max(0, done - sent) / 1000);
    }

    private HttpResponse<byte[]> get(URI uri) throws IOException, InterruptedException {
        if (uri.getPath().equals(playlistUri.getPath())) {
            playlistRequests++;
        }
        return http.send(HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
    }

    private void trimSeen() {
        var it = seen.iterator();
        while (seen.size() > SEEN_LIMIT && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    private HlsProbeReport report(double window) {
        boolean fmp4 = last.entries().stream().anyMatch(e -> e.map() != null);
        return new HlsProbeReport(options.label(), options.url(), fmp4 ? "fmp4" : "mpegts",
            usedBlocking ? "blocking" : "polling", usedBlocking ? 0 : pollMillis(last), last.targetDuration(),
            last.partTarget(), last.partHoldBack(), last.canBlockReload(), window, playlistRequests,
            LoadReport.Percentiles.of(parts), LoadReport.Percentiles.of(segments), unmatched, errors);
    }

    /** The stream time in ms of an MPEG-TS segment's first PCR, which Onair writes as the first frame's DTS. */
    static long tsStartMillis(byte[] ts) {
        for (int at = 0; at + 188 <= ts.length; at += 188) {
            if (ts[at] != 0x47) {
                return -1;
            }
            boolean adaptation = (ts[at + 3] & 0x20) != 0;
            if (adaptation && (ts[at + 4] & 0xff) >= 7 && (ts[at + 5] & 0x10) != 0) {
                long base = (ts[at + 6] & 0xffL) << 25 | (ts[at + 7] & 0xffL) << 17 | (ts[at + 8] & 0xffL) << 9
                    | (ts[at + 9] & 0xffL) << 1 | (ts[at + 10] & 0xffL) >> 7;
                return base / 90;
            }
        }
        return -1;
    }

    /** A track of an fMP4 initialisation segment: its timescale and whether it is video. */
    record Track(long timescale, boolean video) {}

    /** The few ISO BMFF (ISO/IEC 14496-12) boxes the probe reads. */
    static final class Mp4 {

        private Mp4() {
        }

        /** Track id → track, from {@code moov/trak/{tkhd, mdia/{mdhd, hdlr}}}. */
        static Map<Integer, Track> tracks(byte[] init) {
            Map<Integer, Track> tracks = new HashMap<>();
            for (int[] moov : boxes(init, 0, init.length, "moov")) {
                for (int[] trak : boxes(init, moov[0], moov[1], "trak")) {
                    int id = -1;
                    long timescale = 0;
                    boolean video = false;
                    for (int[] tkhd : boxes(init, trak[0], trak[1], "tkhd")) {
                        id = (int) u32(init, tkhd[0] + (init[tkhd[0]] == 1 ? 20 : 12));
                    }
                    for (int[] mdia : boxes(init, trak[0], trak[1], "mdia")) {
                        for (int[] mdhd : boxes(init, mdia[0], mdia[1], "mdhd")) {
                            timescale = u32(init, mdhd[0] + (init[mdhd[0]] == 1 ? 20 : 12));
                        }
                        for (int[] hdlr : boxes(init, mdia[0], mdia[1], "hdlr")) {
                            video = new String(init, hdlr[0] + 8, 4, StandardCharsets.ISO_8859_1).equals("vide");
                        }
                    }
                    if (id >= 0 && timescale > 0) {
                        tracks.put(id, new Track(timescale, video));
                    }
                }
            }
            return tracks;
        }

        /**
         * The stream time in ms of a media segment or part: the earliest {@code tfdt} of its first {@code moof}'s
         * tracks (with {@code videoOnly}, of its video track), rounded up to whole ms, which is exact for Onair's
         * 90 kHz video and for its sample-rate audio unless {@code hls_sync} moved the audio frame.
         */
        static long startMillis(byte[] segment, Map<Integer, Track> tracks, boolean videoOnly) {
            for (int[] moof : boxes(segment, 0, segment.length, "moof")) {
                long earliest = -1;
                for (int[] traf : boxes(segment, moof[0], moof[1], "traf")) {
                    int id = -1;
                    long time = -1;
                    for (int[] tfhd : boxes(segment, traf[0], traf[1], "tfhd")) {
                        id = (int) u32(segment, tfhd[0] + 4);
                    }
                    for (int[] tfdt : boxes(segment, traf[0], traf[1], "tfdt")) {
                        time = segment[tfdt[0]] == 1 ? u32(segment, tfdt[0] + 4) << 32 | u32(segment, tfdt[0] + 8)
                            : u32(segment, tfdt[0] + 4);
                    }
                    Track track = tracks.get(id);
                    if (track == null || time < 0 || (videoOnly && !track.video())) {
                        continue;
                    }
                    long millis = Math.ceilDiv(time * 1000, track.timescale());
                    earliest = earliest < 0 ? millis : Math.min(earliest, millis);
                }
                return earliest;
            }
            return -1;
        }

        /** The payload ranges [start, end) of the boxes of {@code type} directly within [from, to). */
        static List<int[]> boxes(byte[] data, int from, int to, String type) {
            List<int[]> found = new ArrayList<>();
            int at = from;
            while (at + 8 <= to) {
                long size = u32(data, at);
                int header = 8;
                if (size == 1 && at + 16 <= to) {
                    size = u32(data, at + 8) << 32 | u32(data, at + 12);
                    header = 16;
                } else if (size == 0) {
                    size = to - at;
                }
                if (size < header || at + size > to) {
                    break;
                }
                if (new String(data, at + 4, 4, StandardCharsets.ISO_8859_1).equals(type)) {
                    found.add(new int[] {at + header, (int) (at + size)});
                }
                at += (int) size;
            }
            return found;
        }

        private static long u32(byte[] data, int at) {
            return (data[at] & 0xffL) << 24 | (data[at + 1] & 0xffL) << 16 | (data[at + 2] & 0xffL) << 8
                | (data[at + 3] & 0xffL);
        }
    }

    /**
     * What the probe reads of a media playlist (RFC 8216bis §4.4): targets, server control, and its parts and
     * segments in order, each with the URI of its initialisation segment (fMP4) or null (MPEG-TS).
     *
     * @param nextSequence the media sequence number of the segment being written (the first not listed whole)
     * @param nextPart     the index within it of the next part
     */
    record MediaPlaylist(long targetDuration, double partTarget, double partHoldBack, boolean canBlockReload,
                         boolean ended, List<Entry> entries, long nextSequence, int nextPart) {

        record Entry(String uri, boolean part, String map) {}

        private static final Pattern URI_ATTRIBUTE = Pattern.compile("URI=\"([^\"]*)\"");
        private static final Pattern PART_TARGET = Pattern.compile("PART-TARGET=([0-9.]+)");
        private static final Pattern PART_HOLD_BACK = Pattern.compile("PART-HOLD-BACK=([0-9.]+)");

        static MediaPlaylist parse(String text) {
            long targetDuration = 0;
            double partTarget = 0;
            double partHoldBack = 0;
            boolean canBlock = false;
            boolean ended = false;
            long sequence = 0;
            long segmentCount = 0;
            int partsOfOpen = 0;
            String map = null;
            List<Entry> entries = new ArrayList<>();
            for (String line : text.split("\r?\n")) {
                if (line.startsWith("#EXT-X-TARGETDURATION:")) {
                    targetDuration = Long.parseLong(line.substring(22).trim());
                } else if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
                    sequence = Long.parseLong(line.substring(22).trim());
                } else if (line.startsWith("#EXT-X-PART-INF:")) {
                    partTarget = number(PART_TARGET, line);
                } else if (line.startsWith("#EXT-X-SERVER-CONTROL:")) {
                    partHoldBack = number(PART_HOLD_BACK, line);
                    canBlock = line.contains("CAN-BLOCK-RELOAD=YES");
                } else if (line.startsWith("#EXT-X-MAP:")) {
                    map = attribute(line);
                } else if (line.startsWith("#EXT-X-PART:")) {
                    entries.add(new Entry(attribute(line), true, map));
                    partsOfOpen++;
                } else if (line.startsWith("#EXT-X-ENDLIST")) {
                    ended = true;
                } else if (!line.isBlank() && !line.startsWith("#")) {
                    entries.add(new Entry(line.trim(), false, map));
                    segmentCount++;
                    partsOfOpen = 0;
                }
            }
            return new MediaPlaylist(targetDuration, partTarget, partHoldBack, canBlock, ended, entries,
                sequence + segmentCount, partsOfOpen);
        }

        private static String attribute(String line) {
            Matcher m = URI_ATTRIBUTE.matcher(line);
            return m.find() ? m.group(1) : null;
        }

        private static double number(Pattern pattern, String line) {
            Matcher m = pattern.matcher(line);
            return m.find() ? Double.parseDouble(m.group(1)) : 0;
        }
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        HlsProbeReport report = run(options);
        if (options.out() != null) {
            Files.writeString(options.out(), report.toJson());
        }
        System.out.println(report.summary());
    }
}
