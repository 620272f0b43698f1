package onair.record;

import onair.config.ApplicationConfig;
import onair.config.RecordConfig;
import onair.config.RtmpServerConfig;
import onair.config.ServerConfig;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One {@code record_path} directory and what the recorders writing to it ask of it: the extensions of their files
 * (the recordings are the regular files directly in it with one of these extensions), whether some write MP4 kept
 * fragmented, and the strictest of their {@code record_max_age} and {@code record_path_max_size} limits.
 */
record RecordDirectory(Path path, Set<String> extensions, boolean fragmented, Duration maxAge, long maxSize) {

    /** One recording: its file, size and modification time. */
    record Recording(Path file, long size, Instant modified) {}

    /** The record paths of every recorder of {@code config}, merged by directory. */
    static List<RecordDirectory> of(ServerConfig config) {
        Map<Path, RecordDirectory> directories = new LinkedHashMap<>();
        for (RtmpServerConfig server : config.rtmpServers()) {
            for (ApplicationConfig app : server.applications()) {
                for (RecordConfig.Recorder recorder : app.record().recorders()) {
                    if (recorder.path() == null || recorder.extension().isEmpty()) {
                        continue;
                    }
                    Path path = recorder.path().toAbsolutePath().normalize();
                    RecordConfig.Storage storage = recorder.storage();
                    RecordDirectory own = new RecordDirectory(path, Set.of(recorder.extension()),
                        recorder.mp4() && storage.fragmented(), storage.maxAge(), storage.pathMaxSize());
                    directories.merge(path, own, RecordDirectory::with);
                }
            }
        }
        return List.copyOf(directories.values());
    }

    private RecordDirectory with(RecordDirectory other) {
        Set<String> all = new HashSet<>(extensions);
        all.addAll(other.extensions);
        Duration age = maxAge == null ? other.maxAge
            : other.maxAge == null || maxAge.compareTo(other.maxAge) <= 0 ? maxAge : other.maxAge;
        long size = maxSize == 0 ? other.maxSize : other.maxSize == 0 ? maxSize : Math.min(maxSize, other.maxSize);
        return new RecordDirectory(path, Set.copyOf(all), fragmented || other.fragmented, age, size);
    }

    /** The recordings in the directory, oldest first; none when it does not exist. */
    List<Recording> recordings() throws IOException {
        List<Recording> recordings = new ArrayList<>();
        if (!Files.isDirectory(path)) {
            return recordings;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(path)) {
            for (Path file : files) {
                String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
                if (extensions.stream().noneMatch(name::endsWith)) {
                    continue;
                }
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (IOException e) {
                    continue;
                }
                if (attributes.isRegularFile()) {
                    recordings.add(new Recording(file, attributes.size(), attributes.lastModifiedTime().toInstant()));
                }
            }
        }
        recordings.sort(Comparator.comparing(Recording::modified).thenComparing(Recording::file));
        return recordings;
    }

    /**
     * The recordings to delete at {@code now}: those older than {@code record_max_age}, then the oldest others until
     * the directory's recordings fit {@code record_path_max_size}; never one of {@code open}, which still count
     * towards the size.
     */
    List<Recording> expired(List<Recording> recordings, Instant now, Set<Path> open) {
        List<Recording> expired = new ArrayList<>();
        long total = recordings.stream().mapToLong(Recording::size).sum();
        for (Recording recording : recordings) {
            if (open.contains(recording.file().toAbsolutePath().normalize())) {
                continue;
            }
            boolean old = maxAge != null && recording.modified().plus(maxAge).isBefore(now);
            boolean over = maxSize > 0 && total > maxSize;
            if (old || over) {
                expired.add(recording);
                total -= recording.size();
            }
        }
        return expired;
    }
}
