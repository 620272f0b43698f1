package onair.dash;

import onair.hls.CmafPlaylists;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;

/**
 * The segments of one track that a manifest lists: a window of {@code dash_playlist_length} that slides as segments
 * are added, and the segments that left it, whose files are deleted once they have been out of it for another
 * playlist length (players that fetched the manifest before still get them).
 */
final class TrackWindow {

    /** One segment of the track; {@code end} on the 90 kHz clock. */
    private record Entry(Mpd.Segment segment, long bytes, int samples, long end, Path file) {}

    private final DashOutput.Layout layout;
    private final String extension;
    private final int timescale;
    private final long length;
    private final Deque<Entry> window = new ArrayDeque<>();
    private final Deque<Entry> left = new ArrayDeque<>();
    private long added;

    TrackWindow(DashOutput.Layout layout, String extension, int timescale, Duration playlistLength) {
        this.layout = layout;
        this.extension = extension;
        this.timescale = timescale;
        this.length = playlistLength.toMillis() * 90;
    }

    /** Adds a segment of {@code bytes} holding {@code samples} samples and slides the window; returns its file. */
    Path add(Mpd.Segment segment, long bytes, int samples) {
        long end = (segment.time() + segment.duration()) * 90_000 / timescale;
        Path file = layout.dir().resolve(layout.segment(segment.time(), extension));
        window.addLast(new Entry(segment, bytes, samples, end, file));
        added++;
        while (window.size() > 1 && window.getFirst().end() <= end - length) {
            left.addLast(window.removeFirst());
        }
        return file;
    }

    /** Takes back the segment added last, which was not written. */
    void dropLast() {
        if (window.pollLast() != null) {
            added--;
        }
    }

    /** The files of the segments that left the window a playlist length before {@code now} (90 kHz). */
    List<Path> expired(long now) {
        return left.stream().filter(entry -> entry.end() + length <= now - length).map(Entry::file).toList();
    }

    /** Forgets the segments of {@code files}, deleted. */
    void forget(Collection<Path> files) {
        left.removeIf(entry -> files.contains(entry.file()));
    }

    /** Every file of this track that may still be on disk. */
    List<Path> files() {
        List<Path> files = new ArrayList<>();
        left.forEach(entry -> files.add(entry.file()));
        window.forEach(entry -> files.add(entry.file()));
        return files;
    }

    int timescale() {
        return timescale;
    }

    boolean isEmpty() {
        return window.isEmpty();
    }

    List<Mpd.Segment> timeline() {
        return window.stream().map(Entry::segment).toList();
    }

    /** The window as HLS media segments: numbered from the track's first segment, durations in seconds. */
    List<CmafPlaylists.Segment> hlsSegments() {
        List<CmafPlaylists.Segment> segments = new ArrayList<>(window.size());
        long sequence = added - window.size();
        for (Entry entry : window) {
            segments.add(new CmafPlaylists.Segment(sequence++, entry.file().getFileName().toString(),
                (double) entry.segment().duration() / timescale));
        }
        return segments;
    }

    /** The highest bitrate of a segment in the window, in bit/s (at least 1). */
    long bandwidth() {
        long bandwidth = 1;
        for (Entry entry : window) {
            bandwidth = Math.max(bandwidth, entry.bytes() * 8 * timescale / Math.max(1, entry.segment().duration()));
        }
        return bandwidth;
    }

    /** The mean sample rate over the window, as {@code frameRate} states it ({@code 30}, {@code 30000/1001}). */
    String frameRate() {
        long samples = window.stream().mapToLong(Entry::samples).sum();
        long duration = window.stream().mapToLong(entry -> entry.segment().duration()).sum();
        if (samples < 2 || duration <= 0) {
            return null;
        }
        double rate = (double) samples * timescale / duration;
        long whole = Math.round(rate);
        long ntsc = Math.round(rate * 1.001);
        if (Math.abs(rate - whole) > 0.02 && Math.abs(rate * 1.001 - ntsc) <= 0.02) {
            return ntsc * 1000 + "/1001";
        }
        return String.valueOf(Math.max(1, whole));
    }
}
