package onair.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
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
    static final Setting<Boolean> FRAGMENTED = SETTINGS.flag("record_fragmented", Context.RECORDERS, false);
    static final Setting<Duration> MAX_AGE = SETTINGS.value("record_max_age", Context.RECORDERS, null, Units::time);
    static final Setting<Long> PATH_MAX_SIZE = SETTINGS.value("record_path_max_size", Context.RECORDERS, 0L,
        Units::size);
    static final Setting<List<ExecConfig.Command>> EXEC_RECORD_STARTED = execLines(ExecConfig.Kind.RECORD_STARTED);
    static final Setting<List<ExecConfig.Command>> EXEC_RECORD_DONE = execLines(ExecConfig.Kind.RECORD_DONE);

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
     * @param hooks    what runs when the recorder opens and closes a file
     * @param storage  the MP4 and retention settings
     */
    public record Recorder(String name, Set<Flag> flags, Path path, String suffix, boolean unique, boolean append,
            boolean lock, long maxSize, long maxFrames, Duration interval, boolean notifyPublisher, Hooks hooks,
            Storage storage) {

        public Recorder {
            Objects.requireNonNull(name, "name");
            flags = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
            Objects.requireNonNull(suffix, "suffix");
            if (!flags.isEmpty()) {
                Objects.requireNonNull(path, "path");
            }
            Objects.requireNonNull(hooks, "hooks");
            Objects.requireNonNull(storage, "storage");
        }

        /** A recorder with the default storage settings. */
        public Recorder(String name, Set<Flag> flags, Path path, String suffix, boolean unique, boolean append,
                boolean lock, long maxSize, long maxFrames, Duration interval, boolean notifyPublisher, Hooks hooks) {
            this(name, flags, path, suffix, unique, append, lock, maxSize, maxFrames, interval, notifyPublisher,
                hooks, Storage.DEFAULT);
        }

        /** A recorder without hooks. */
        public Recorder(String name, Set<Flag> flags, Path path, String suffix, boolean unique, boolean append,
                boolean lock, long maxSize, long maxFrames, Duration interval, boolean notifyPublisher) {
            this(name, flags, path, suffix, unique, append, lock, maxSize, maxFrames, interval, notifyPublisher,
                Hooks.NONE);
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
            String suffix = scope.get(SUFFIX);
            boolean append = scope.get(APPEND);
            Duration maxAge = scope.get(MAX_AGE);
            if (append && mp4(suffix)) {
                throw ConfigException.at(scope.block(), "\"record_append\" is for FLV recordings, not for the MP4 "
                        + "suffix \"" + suffix + "\"");
            }
            return new Recorder(name, flags, path, suffix, scope.get(UNIQUE), append,
                    scope.get(LOCK), scope.get(MAX_SIZE), scope.get(MAX_FRAMES), scope.get(INTERVAL),
                    scope.get(NOTIFY), Hooks.from(scope),
                    new Storage(scope.get(FRAGMENTED), maxAge == null || maxAge.isZero() ? null : maxAge,
                        scope.get(PATH_MAX_SIZE)));
        }

        /** Whether this recorder writes MP4: its suffix ends in {@code .mp4}, {@code .m4v} or {@code .m4a}. */
        public boolean mp4() {
            return mp4(suffix);
        }

        /** The extension of the files this recorder writes, with its dot ({@code .flv}, {@code .mp4}). */
        public String extension() {
            int dot = suffix.lastIndexOf('.');
            return dot < 0 ? "" : suffix.substring(dot).toLowerCase(Locale.ROOT);
        }

        private static boolean mp4(String suffix) {
            String lower = suffix.toLowerCase(Locale.ROOT);
            return lower.endsWith(".mp4") || lower.endsWith(".m4v") || lower.endsWith(".m4a");
        }

        /** Starts recording by itself when a publisher starts, rather than on a control request. */
        public boolean automatic() {
            return !flags.isEmpty() && !flags.contains(Flag.MANUAL);
        }
    }

    /**
     * Onair's own recording settings: {@code record_fragmented} keeps an MP4 recording fragmented when it closes, and
     * the retention of the recordings in the record path, {@code record_max_age} and {@code record_path_max_size}.
     *
     * @param maxAge      recordings older than this are deleted; null for no limit ({@code 0} or unset)
     * @param pathMaxSize the recordings of the path are deleted oldest first beyond this many bytes; 0 for no limit
     */
    public record Storage(boolean fragmented, Duration maxAge, long pathMaxSize) {

        public static final Storage DEFAULT = new Storage(false, null, 0);

        /** Whether a retention limit is set. */
        public boolean retains() {
            return maxAge != null || pathMaxSize > 0;
        }
    }

    /**
     * A recorder's {@code on_record_started} and {@code on_record_done} URLs, merged like its other settings (a
     * recorder's own URL overrides its application's), and the {@code exec_record_started} and
     * {@code exec_record_done} lines of its {@code recorder} block. nginx-rtmp runs a recorder's hooks with the
     * recorder's configuration ({@code ngx_rtmp_record_node_close} switches {@code s->app_conf} to
     * {@code rec_conf}), whose exec lines are the block's own followed by those of its application; the
     * application's lines stay in the application's exec settings, these are only the block's own.
     *
     * @param onRecordStarted the URL to call when a file opens, or null
     * @param onRecordDone    the URL to call when a file is closed, or null
     */
    public record Hooks(URI onRecordStarted, URI onRecordDone, List<ExecConfig.Command> execRecordStarted,
            List<ExecConfig.Command> execRecordDone) {

        public static final Hooks NONE = new Hooks(null, null, List.of(), List.of());

        public Hooks {
            execRecordStarted = List.copyOf(execRecordStarted);
            execRecordDone = List.copyOf(execRecordDone);
        }

        static Hooks from(Scope scope) {
            boolean block = scope.context() == Context.RECORDER;
            return new Hooks(scope.find(AdmissionConfig.CALLBACKS.get(AdmissionConfig.Callback.RECORD_STARTED))
                    .orElse(null),
                scope.find(AdmissionConfig.CALLBACKS.get(AdmissionConfig.Callback.RECORD_DONE)).orElse(null),
                block ? scope.own(EXEC_RECORD_STARTED).orElse(List.of()) : List.of(),
                block ? scope.own(EXEC_RECORD_DONE).orElse(List.of()) : List.of());
        }

        /** The block's own exec lines of a record kind ({@code RECORD_STARTED} or {@code RECORD_DONE}). */
        public List<ExecConfig.Command> exec(ExecConfig.Kind kind) {
            return switch (kind) {
                case RECORD_STARTED -> execRecordStarted;
                case RECORD_DONE -> execRecordDone;
                default -> List.of();
            };
        }
    }

    /**
     * {@code exec_record_started} or {@code exec_record_done} in a {@code recorder} block; nginx-rtmp reads
     * {@code name=} options only where {@code exec_options on} is in the block itself, which a {@code recorder} block
     * cannot hold, so the arguments are taken as written.
     */
    private static Setting<List<ExecConfig.Command>> execLines(ExecConfig.Kind kind) {
        return SETTINGS.list(List.of(kind.directive()), Set.of(Context.RECORDER), 1, Integer.MAX_VALUE,
            Setting.checked(d -> ExecConfig.Command.parse(kind, d.args(), false)));
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
