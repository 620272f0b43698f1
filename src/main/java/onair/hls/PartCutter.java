package onair.hls;

import onair.config.HlsConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * The LL-HLS partial segments (RFC 8216bis §4.4.4.9) of one stream's fMP4 segments with {@code hls_part}: a part is
 * cut before a sample that would take it past the part target, and each part is written with a playlist that lists
 * it and hints at the next.
 */
final class PartCutter {

    private final HlsConfig config;
    private final HlsOutput.Layout layout;
    private final HlsOutput.History history;
    private final HlsWriter writer;
    private final long target;
    private final List<Playlist.Part> parts = new ArrayList<>();
    private long start;
    private boolean independent;

    PartCutter(HlsConfig config, HlsOutput.Layout layout, HlsOutput.History history, HlsWriter writer) {
        this.config = config;
        this.layout = layout;
        this.history = history;
        this.writer = writer;
        this.target = config.part().toMillis() * 90;
    }

    /** Starts the first part of a segment at {@code time}. */
    void open(long time) {
        start = time;
        independent = false;
    }

    /** Notes whether the part being filled starts with an independent sample. */
    void starting(boolean independent) {
        this.independent = independent;
    }

    /** Whether a sample at {@code time}, lasting {@code interval}, would take the part being filled past its target. */
    boolean due(long time, long interval) {
        return time > start && time - start + interval > target;
    }

    /**
     * Ends the part being filled at {@code end} with {@code bytes}, its fragment of segment {@code sequence}, and
     * has it written with the init segment it needs, and with a playlist listing it if {@code listed} (the last part
     * of a segment is listed by its segment's playlist instead).
     */
    void cut(long end, long sequence, byte[] bytes, byte[] init, String initName, boolean listed) {
        String name = layout.partName(sequence, parts.size());
        parts.add(new Playlist.Part(layout.segmentUri(name), Math.max(0, end - start) / 90_000.0, independent));
        start = end;
        List<Playlist.Segment> window = history.window();
        SegmentWrite.MediaPlaylist playlist = !listed ? null : new SegmentWrite.MediaPlaylist(layout.playlist(),
            Playlist.media(window, parts, layout.segmentUri(initName),
                layout.segmentUri(layout.partName(sequence, parts.size())), config, false),
            true, sequence, parts.size(), Playlist.reloadTarget(window, config), false);
        writer.submit(new SegmentWrite("part " + layout.dir().resolve(name),
            List.of(SegmentWrite.File.plain(layout.dir().resolve(initName), init),
                SegmentWrite.File.plain(layout.dir().resolve(name), bytes)),
            playlist, null));
    }

    /** The parts of the segment just ended, which the next segment starts without. */
    List<Playlist.Part> take() {
        List<Playlist.Part> taken = List.copyOf(parts);
        parts.clear();
        return taken;
    }
}
