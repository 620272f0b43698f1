package onair.record;

import onair.config.ApplicationConfig;
import onair.config.RecordConfig;
import onair.config.ServerConfig;
import onair.mp4.FragmentedFile;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The MP4 recordings of a stream, for a playback listing in the style of MediaMTX's playback server: the files that
 * the MP4 recorders of the stream's application name after it ({@code NAME[-UNIXTIME]SUFFIX} in their
 * {@code record_path}), each with its start time (the creation time its recorder wrote) and duration, and the media of
 * a time range of one of them as fragmented MP4. Reads files; call it off the event loops.
 */
public final class Recordings {

    /** One recording: its file, when it started, how many seconds it holds. */
    public record Entry(Path file, Instant start, double duration) {

        public Instant end() {
            return start.plusNanos((long) (duration * 1e9));
        }
    }

    /**
     * The media of a time range: {@code initialization}, then the bytes {@code from} to {@code to} of {@code file}
     * (whole fragments, the first one starting at or before the range's start).
     */
    public record Span(Path file, byte[] initialization, long from, long to) {

        public long length() {
            return initialization.length + to - from;
        }
    }

    private final Supplier<ServerConfig> config;

    public Recordings(Supplier<ServerConfig> config) {
        this.config = config;
    }

    /** The recordings of stream {@code name} of application {@code app}, oldest first. */
    public List<Entry> list(String app, String name) {
        Optional<ApplicationConfig> application = config.get().application(app);
        if (application.isEmpty()) {
            return List.of();
        }
        Set<Path> files = new LinkedHashSet<>();
        for (RecordConfig.Recorder recorder : application.get().record().recorders()) {
            if (recorder.mp4() && recorder.path() != null) {
                files.addAll(files(recorder, name));
            }
        }
        List<Entry> entries = new ArrayList<>();
        files.forEach(file -> entry(file).ifPresent(entries::add));
        entries.sort(Comparator.comparing(Entry::start).thenComparing(Entry::file));
        return entries;
    }

    /** The recording in {@code file}, or empty when it is not one (or no longer there). */
    private static Optional<Entry> entry(Path file) {
        try (FileChannel channel = FileChannel.open(file)) {
            FragmentedFile recording = FragmentedFile.read(channel);
            return Optional.of(new Entry(file, recording.created(), recording.duration()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The media from {@code start} for {@code duration}, from the recording that holds {@code start} (or the first
     * one that starts within the range); empty when none does.
     */
    public Optional<Span> get(String app, String name, Instant start, Duration duration) throws IOException {
        Instant end = start.plus(duration);
        for (Entry entry : list(app, name)) {
            if (!entry.end().isAfter(start) || !entry.start().isBefore(end)) {
                continue;
            }
            try (FileChannel channel = FileChannel.open(entry.file())) {
                FragmentedFile recording = FragmentedFile.read(channel);
                List<FragmentedFile.Fragment> fragments = recording.fragments();
                double from = seconds(entry.start(), start);
                double to = seconds(entry.start(), end);
                int first = 0;
                int last = -1;
                for (int i = 0; i < fragments.size(); i++) {
                    FragmentedFile.Fragment fragment = fragments.get(i);
                    if (fragment.time() <= from && fragment.independent()) {
                        first = i;
                    }
                    if (fragment.time() < to) {
                        last = i;
                    }
                }
                if (last >= first) {
                    return Optional.of(new Span(entry.file(), recording.initialization(),
                        fragments.get(first).start(), fragments.get(last).end()));
                }
            }
        }
        return Optional.empty();
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }

    /** The files in the recorder's path that it names after stream {@code name}. */
    private static List<Path> files(RecordConfig.Recorder recorder, String name) {
        String suffix = recorder.suffix();
        Pattern pattern = Pattern.compile(Pattern.quote(RecordPath.escape(name)) + "(-\\d+)?"
            + (suffix.indexOf('%') >= 0 ? ".*" + Pattern.quote(recorder.extension()) : Pattern.quote(suffix)));
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(recorder.path())) {
            return files;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(recorder.path())) {
            for (Path file : entries) {
                if (pattern.matcher(file.getFileName().toString()).matches() && Files.isRegularFile(file)) {
                    files.add(file);
                }
            }
        } catch (IOException e) {
            return files;
        }
        return files;
    }
}
