package onair.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The recorders of an application (nginx-rtmp's {@code ngx_rtmp_record_module}): the application's own unnamed one,
 * present when a {@code record} directive is in force for it, and one per {@code recorder NAME { }} block, each with
 * the {@code record*} settings merged {@code rtmp} → {@code server} → {@code application} → {@code recorder}.
 */
public record RecordConfig(List<Recorder> recorders) {

    public static final RecordConfig OFF = new RecordConfig(List.of());

    /** What a recorder writes ({@code record audio|video|keyframes|manual}; {@code all} is audio and video). */
    public enum Flag { AUDIO, VIDEO, KEYFRAMES, MANUAL }

    /**
     * One recorder.
     *
     * @param name     "" for the application's own recorder
     * @param flags    empty for {@code record off}: the recorder exists for control but writes nothing
     * @param path     the {@code record_path} directory, or null when none is set (then {@code flags} is empty)
     * @param suffix   appended to the file name, through {@code strftime} when it contains {@code %}
     * @param maxSize  bytes per file, 0 for no limit
     * @param maxFrames video frames per file, 0 for no limit
     * @param interval a new file this often, or null for {@code record_interval} unset
     * @param notifyPublisher {@code record_notify}: send NetStream.Record.Start/Stop to the publisher
     */
    public record Recorder(String name, Set<Flag> flags, Path path, String suffix, boolean unique, boolean append,
            boolean lock, long maxSize, long maxFrames, Duration interval, boolean notifyPublisher) {

        public Recorder {
            Objects.requireNonNull(name, "name");
            flags = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
            Objects.requireNonNull(suffix, "suffix");
            if (!flags.isEmpty()) {
                Objects.requireNonNull(path, "path");
            }
        }

        /** Starts recording by itself when a publisher starts, rather than on a control request. */
        public boolean automatic() {
            return !flags.isEmpty() && !flags.contains(Flag.MANUAL);
        }
    }

    public RecordConfig {
        recorders = List.copyOf(recorders);
    }

    /** The recorder a control request names ({@code rec=}; "" is the application's own). */
    public Optional<Recorder> recorder(String name) {
        return recorders.stream().filter(recorder -> recorder.name().equals(name)).findFirst();
    }
}
