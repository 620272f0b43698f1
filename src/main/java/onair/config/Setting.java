package onair.config;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BinaryOperator;
import java.util.function.Function;

/**
 * A typed directive: its name (and aliases), the contexts it may appear in, the value it has where no block sets it,
 * how many arguments it takes, how they parse, and what a second occurrence in the same block does. Settings are
 * keys compared by identity, declared next to the record they fill (see {@link Settings}), and read through
 * {@link Scope#get(Setting)}.
 *
 * @param <T> the parsed value; the default may be null for "unset"
 */
final class Setting<T> {

    /** What a repeat of the directive in the same block does. */
    enum Repeat {
        /** {@code "NAME" directive is duplicate}, as nginx says for its single-valued directives. */
        REFUSE,
        /** The later one replaces the earlier one. */
        LAST,
        /** The values collect into one list, in file order. */
        COLLECT
    }

    private final List<String> names;
    private final Set<Context> contexts;
    private final T defaultValue;
    private final int minArgs;
    private final int maxArgs;
    private final boolean block;
    private final Repeat repeat;
    private final Function<Directive, T> parser;
    private final BinaryOperator<T> collector;

    /**
     * @param block     the directive takes a {@code { }} block instead of ending with {@code ;}
     * @param collector how two values combine, for {@link Repeat#COLLECT}; null otherwise
     */
    Setting(List<String> names, Set<Context> contexts, T defaultValue, int minArgs, int maxArgs, boolean block,
            Repeat repeat, Function<Directive, T> parser, BinaryOperator<T> collector) {
        this.names = List.copyOf(names);
        this.contexts = Set.copyOf(contexts);
        this.defaultValue = defaultValue;
        this.minArgs = minArgs;
        this.maxArgs = maxArgs;
        this.block = block;
        this.repeat = Objects.requireNonNull(repeat, "repeat");
        this.parser = Objects.requireNonNull(parser, "parser");
        this.collector = collector;
        if (repeat == Repeat.COLLECT && collector == null) {
            throw new IllegalArgumentException("a collected setting needs a collector: " + names);
        }
    }

    List<String> names() {
        return names;
    }

    boolean allowedIn(Context context) {
        return contexts.contains(context);
    }

    T defaultValue() {
        return defaultValue;
    }

    Repeat repeat() {
        return repeat;
    }

    /** Checks that {@code d} has this setting's shape: a block or a {@code ;}, and an allowed number of arguments. */
    void checkShape(Directive d) {
        if (block && d.block() == null) {
            throw ConfigException.at(d, "directive \"" + d.name() + "\" has no opening \"{\"");
        }
        if (!block && d.block() != null) {
            throw ConfigException.at(d, "directive \"" + d.name() + "\" is not terminated by \";\"");
        }
        if (d.args().size() < minArgs || d.args().size() > maxArgs) {
            throw ConfigException.invalidArgumentCount(d);
        }
    }

    T parse(Directive d) {
        return parser.apply(d);
    }

    T collect(T earlier, T later) {
        return collector.apply(earlier, later);
    }

    /** {@code parser} over the arguments joined by spaces; its {@link IllegalArgumentException} is an invalid value. */
    static <T> Function<Directive, T> joined(Function<String, T> parser) {
        return checked(d -> parser.apply(String.join(" ", d.args())));
    }

    /** {@code parser} over the directive; its {@link IllegalArgumentException} is an invalid value of the arguments. */
    static <T> Function<Directive, T> checked(Function<Directive, T> parser) {
        return d -> {
            try {
                return parser.apply(d);
            } catch (IllegalArgumentException e) {
                throw ConfigException.invalidValue(d, String.join(" ", d.args()), e.getMessage());
            }
        };
    }

    @Override
    public String toString() {
        return String.join("/", names);
    }
}
