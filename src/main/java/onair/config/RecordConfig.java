package onair.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

    static final Settings SETTINGS = new Settings();
    static final Setting<Set<Flag>> RECORD = SETTINGS.words("record", Context.RECORDERS, Set.of(), Units::recordFlags);
    static final Setting<Path> PATH = SETTINGS.path("record_path", Context.RECORDERS);
    static final Setting<String> SUFFIX = SETTINGS.value("record_suffix", Context.RECORDERS, ".flv", v -> v);
    static final Setting<Boolean> UNIQUE = SETTINGS.flag("record_unique", Context.RECORDERS, false);
    static final Setting<Boolean> APPEND = SETTINGS.flag("record_append", Context.RECORDERS, false);
    static final Setting<Boolean> LOCK = SETTINGS.flag("record_lock", Context.RECORDERS, false);
    static final Setting<Long> MAX_SIZE = SETTINGS.value("record_max_size", Context.RECORDERS, 0L, Units::size);
    static final Setting<Long> MAX_FRAMES = SETTINGS.value("record_max_frames", Context.RECORDERS, 0L, Units::integer);
    static final Setting<Duration> INTERVAL = SETTINGS.value("record_interval", Context.RECORDERS, null, Units::time);
    static final Setting<Boolean> NOTIFY = SETTINGS.flag("record_notify", Context.RECORDERS, false);

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

        /** The recorder of an application scope (its own) or of a {@code recorder} block scope. */
        static Recorder from(Scope scope) {
            String name = scope.context() == Context.RECORDER ? scope.name() : "";
            Set<Flag> flags = scope.get(RECORD);
            Path path = scope.get(PATH);
            if (path == null && !flags.isEmpty()) {
                String recorder = name.isEmpty()
                        ? "recorder of application \"" + scope.name() + "\"" : "recorder \"" + name + "\"";
                throw ConfigException.at(scope.block(), "no \"record_path\" for the " + recorder);
            }
            return new Recorder(name, flags, path, scope.get(SUFFIX), scope.get(UNIQUE), scope.get(APPEND),
                    scope.get(LOCK), scope.get(MAX_SIZE), scope.get(MAX_FRAMES), scope.get(INTERVAL),
                    scope.get(NOTIFY));
        }

        /** Starts recording by itself when a publisher starts, rather than on a control request. */
        public boolean automatic() {
            return !flags.isEmpty() && !flags.contains(Flag.MANUAL);
        }
    }

    public RecordConfig {
        recorders = List.copyOf(recorders);
    }

    /**
     * The application's own recorder when a {@code record} directive is in force for it, then its {@code recorder}
     * blocks in file order, each inheriting the application's settings (nginx-rtmp's {@code ngx_rtmp_record_recorder}).
     */
    static RecordConfig from(Scope app) {
        List<Recorder> recorders = new ArrayList<>();
        if (app.find(RECORD).isPresent()) {
            recorders.add(Recorder.from(app));
        }
        app.children().forEach(recorder -> recorders.add(Recorder.from(recorder)));
        return recorders.isEmpty() ? OFF : new RecordConfig(recorders);
    }

    /** The recorder a control request names ({@code rec=}; "" is the application's own). */
    public Optional<Recorder> recorder(String name) {
        return recorders.stream().filter(recorder -> recorder.name().equals(name)).findFirst();
    }
}
