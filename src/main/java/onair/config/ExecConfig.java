package onair.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code exec*} directives of an application (nginx-rtmp's {@code ngx_rtmp_exec_module}, reference §7): the
 * command lines of each kind, {@code respawn}, {@code respawn_timeout} and {@code exec_kill_signal}. nginx-rtmp keeps
 * one {@code respawn_timeout} and one kill signal for the whole {@code rtmp} block (the last one read wins); Onair
 * scopes them like the other application settings. As in nginx-rtmp's merge, an application's command lines are its
 * own, then those it inherits from its server and the {@code rtmp} block.
 *
 * @param commands       the command lines of each kind, in configuration order; kinds without any are absent
 * @param options        {@code exec_options}: {@code name=} arguments restrict a line to streams of that name
 * @param respawn        {@code respawn}: restart a managed child that exits while its stream lives
 * @param respawnTimeout {@code respawn_timeout}: the delay before the first restart
 * @param killSignal     {@code exec_kill_signal}: the signal that stops a child; Onair's default is TERM
 *                       (nginx-rtmp's KILL corrupts the MP4 files ffmpeg writes), then KILL after a grace period
 */
public record ExecConfig(Map<Kind, List<Command>> commands, boolean options, boolean respawn,
        Duration respawnTimeout, KillSignal killSignal) {

    public static final Duration DEFAULT_RESPAWN_TIMEOUT = Duration.ofSeconds(5);

    public static final ExecConfig OFF = new ExecConfig(Map.of(), false, true, DEFAULT_RESPAWN_TIMEOUT,
        KillSignal.TERM);

    static final Settings SETTINGS = new Settings();
    /** The command lines and {@code exec_options} of a block, in file order: an option applies to later lines. */
    static final Setting<List<Directive>> LINES = SETTINGS.list(List.of("exec", "exec_push", "exec_pull",
        "exec_static", "exec_publish", "exec_publish_done", "exec_play", "exec_play_done", "exec_record_started",
        "exec_record_done", "exec_options"), Context.APPLICATIONS, 1, Integer.MAX_VALUE, ExecConfig::line);
    static final Setting<Boolean> RESPAWN = SETTINGS.flag("respawn", Context.APPLICATIONS, true);
    static final Setting<Duration> RESPAWN_TIMEOUT = SETTINGS.value("respawn_timeout", Context.APPLICATIONS,
        DEFAULT_RESPAWN_TIMEOUT, Units::positiveTime);
    static final Setting<KillSignal> KILL_SIGNAL = SETTINGS.value("exec_kill_signal", Context.APPLICATIONS,
        KillSignal.TERM, KillSignal::parse);

    /**
     * When a command line runs. Managed kinds are one child per stream (or per server, for {@code exec_static})
     * that is stopped with the stream and restarted when it dies; the others run once per event and are left alone.
     */
    public enum Kind {
        /** {@code exec} or {@code exec_push}: while a stream is published. */
        PUSH("exec_push", true),
        /** {@code exec_pull}: from a stream's first player to its last; only {@code $name} and {@code $app}. */
        PULL("exec_pull", true),
        /**
         * {@code exec_static}: from start-up to shutdown, without variables; nginx-rtmp gathers these lines from
         * every level into one list for the whole {@code rtmp} block.
         */
        STATIC("exec_static", true),
        PUBLISH("exec_publish", false),
        PUBLISH_DONE("exec_publish_done", false),
        PLAY("exec_play", false),
        PLAY_DONE("exec_play_done", false),
        /** {@code exec_record_started}: when a recording file is opened, with the file's variables. */
        RECORD_STARTED("exec_record_started", false),
        /** {@code exec_record_done}: after a recording file is closed, with the file's variables. */
        RECORD_DONE("exec_record_done", false);

        private final String directive;
        private final boolean managed;

        Kind(String directive, boolean managed) {
            this.directive = directive;
            this.managed = managed;
        }

        public String directive() {
            return directive;
        }

        public boolean managed() {
            return managed;
        }

        /** The kind a directive name configures ({@code exec} is {@code exec_push}), or null for another name. */
        public static Kind ofDirective(String name) {
            if (name.equals("exec")) {
                return PUSH;
            }
            for (Kind kind : values()) {
                if (kind.directive.equals(name)) {
                    return kind;
                }
            }
            return null;
        }
    }

    /**
     * One command line as configured: the program (used verbatim: nginx-rtmp substitutes variables in the
     * arguments only) and the argument templates, each one configuration token, evaluated when the line runs.
     *
     * @param names the {@code name=} values of an {@code exec_options on} line: it runs only for streams of one of
     *              these names; empty for every stream
     */
    public record Command(Kind kind, String program, List<String> args, Set<String> names) {

        public Command {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(program, "program");
            args = List.copyOf(args);
            names = Set.copyOf(names);
        }

        /**
         * Parses a directive's arguments (the program, then its arguments). With {@code options} on, an argument
         * {@code name=X} is taken out of the command line and restricts it to streams named {@code X}, as
         * {@code ngx_rtmp_exec_conf} does; nginx-rtmp then compares only the first such name, through a loop that
         * never advances, while Onair accepts any of them.
         *
         * @throws IllegalArgumentException without a program, or for an empty {@code name=}
         */
        public static Command parse(Kind kind, List<String> directiveArgs, boolean options) {
            if (directiveArgs.isEmpty() || directiveArgs.getFirst().isEmpty()) {
                throw new IllegalArgumentException(kind.directive() + " needs a program to run");
            }
            List<String> args = new ArrayList<>();
            Set<String> names = new LinkedHashSet<>();
            for (String arg : directiveArgs.subList(1, directiveArgs.size())) {
                if (options && arg.startsWith("name=")) {
                    if (arg.length() == 5) {
                        throw new IllegalArgumentException("\"name=\" needs a stream name");
                    }
                    names.add(arg.substring(5));
                } else {
                    args.add(arg);
                }
            }
            return new Command(kind, directiveArgs.getFirst(), args, names);
        }

        /** Whether the line runs for a stream of this name ({@code ngx_rtmp_exec_filter}). */
        public boolean appliesTo(String streamName) {
            return names.isEmpty() || names.contains(streamName);
        }

        /** The line as configured, for logs and statistics. */
        @Override
        public String toString() {
            return args.isEmpty() ? program : program + " " + String.join(" ", args);
        }
    }

    /**
     * A POSIX signal by its Linux number and name (without {@code SIG}); the name is null for a number outside the
     * POSIX.1-1990 list nginx-rtmp knows.
     */
    public record KillSignal(int number, String name) {

        private static final List<String> NAMES = List.of("HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE",
            "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN",
            "TTOU");
        private static final Set<String> ACCEPTED = Set.of("HUP", "INT", "QUIT", "ILL", "ABRT", "FPE", "KILL",
            "SEGV", "PIPE", "ALRM", "TERM", "USR1", "USR2", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU");

        public static final KillSignal TERM = parse("TERM");
        public static final KillSignal KILL = parse("KILL");

        public KillSignal {
            if (number < 1 || number > 64) {
                throw new IllegalArgumentException("signal number " + number + " is not between 1 and 64");
            }
        }

        /**
         * Parses {@code exec_kill_signal}'s value: a number, or one of the POSIX.1-1990 names nginx-rtmp accepts
         * (any case), also with a {@code SIG} prefix.
         *
         * @throws IllegalArgumentException for anything else
         */
        public static KillSignal parse(String text) {
            if (!text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
                int number = text.length() > 2 ? 0 : Integer.parseInt(text);
                if (number < 1 || number > 64) {
                    throw new IllegalArgumentException("signal number " + text + " is not between 1 and 64");
                }
                String name = number <= NAMES.size() ? NAMES.get(number - 1) : null;
                return new KillSignal(number, name != null && ACCEPTED.contains(name) ? name : null);
            }
            String name = text.toUpperCase(Locale.ROOT);
            if (name.startsWith("SIG")) {
                name = name.substring(3);
            }
            if (!ACCEPTED.contains(name)) {
                throw new IllegalArgumentException("unknown signal \"" + text + "\": use a number or one of "
                    + String.join(" ", ACCEPTED.stream().sorted().toList()));
            }
            return new KillSignal(NAMES.indexOf(name) + 1, name);
        }

        @Override
        public String toString() {
            return name != null ? "SIG" + name : "signal " + number;
        }
    }

    public ExecConfig {
        Map<Kind, List<Command>> copy = new EnumMap<>(Kind.class);
        commands.forEach((kind, lines) -> {
            if (!lines.isEmpty()) {
                copy.put(kind, List.copyOf(lines));
            }
        });
        commands = Map.copyOf(copy);
        Objects.requireNonNull(respawnTimeout, "respawnTimeout");
        Objects.requireNonNull(killSignal, "killSignal");
    }

    /**
     * The exec settings of {@code app}: its own command lines, then its server's, then the {@code rtmp} block's.
     * A block starts with the {@code exec_options} value its enclosing blocks end with, and each {@code exec_options}
     * line changes it for the lines after it in the block.
     */
    static ExecConfig from(Scope app) {
        List<Scope> outerFirst = new ArrayList<>();
        for (Scope scope = app; scope != null; scope = scope.parent()) {
            outerFirst.addFirst(scope);
        }
        boolean options = false;
        List<List<Command>> blocks = new ArrayList<>();
        for (Scope scope : outerFirst) {
            List<Command> own = new ArrayList<>();
            for (Directive d : scope.own(LINES).orElse(List.of())) {
                if (d.name().equals("exec_options")) {
                    options = Units.flag(d.args().getFirst());
                } else {
                    own.add(command(d, options));
                }
            }
            blocks.addFirst(own);
        }
        Map<Kind, List<Command>> commands = new EnumMap<>(Kind.class);
        blocks.forEach(block -> block.forEach(command ->
            commands.computeIfAbsent(command.kind(), kind -> new ArrayList<>()).add(command)));
        return new ExecConfig(commands, options, app.get(RESPAWN), app.get(RESPAWN_TIMEOUT), app.get(KILL_SIGNAL));
    }

    /** Checks a directive of {@link #LINES} as far as it can be without the {@code exec_options} before it. */
    private static Directive line(Directive d) {
        if (d.name().equals("exec_options")) {
            if (d.args().size() != 1) {
                throw ConfigException.invalidArgumentCount(d);
            }
            Setting.joined(Units::flag).apply(d);
        } else {
            command(d, false);
        }
        return d;
    }

    private static Command command(Directive d, boolean options) {
        try {
            return Command.parse(Kind.ofDirective(d.name()), d.args(), options);
        } catch (IllegalArgumentException e) {
            throw ConfigException.invalidValue(d, String.join(" ", d.args()), e.getMessage());
        }
    }

    /** The command lines of one kind, in configuration order. */
    public List<Command> commands(Kind kind) {
        return commands.getOrDefault(kind, List.of());
    }

    /** Whether any command line is configured. */
    public boolean active() {
        return !commands.isEmpty();
    }
}
