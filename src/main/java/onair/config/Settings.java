package onair.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The settings one record declares, like an nginx module's command table: each factory method declares a setting and
 * adds it to the table, so a directive is one line next to the record component it fills. {@link #of} joins the
 * tables a section's binder looks directives up in.
 */
final class Settings {

    private final List<Setting<?>> settings = new ArrayList<>();

    /** Declares {@code setting}. */
    <T> Setting<T> add(Setting<T> setting) {
        settings.add(setting);
        return setting;
    }

    /** An {@code on|off} setting. */
    Setting<Boolean> flag(String name, Set<Context> contexts, boolean defaultValue) {
        return value(name, contexts, defaultValue, Units::flag);
    }

    /** A setting of one argument, parsed by {@code parser}. */
    <T> Setting<T> value(String name, Set<Context> contexts, T defaultValue, Function<String, T> parser) {
        return add(new Setting<>(List.of(name), contexts, defaultValue, 1, 1, false, Setting.Repeat.REFUSE,
                Setting.joined(parser), null));
    }

    /** A setting of one or more arguments, parsed by {@code parser} joined by spaces. */
    <T> Setting<T> words(String name, Set<Context> contexts, T defaultValue, Function<String, T> parser) {
        return add(new Setting<>(List.of(name), contexts, defaultValue, 1, Integer.MAX_VALUE, false,
                Setting.Repeat.REFUSE, Setting.joined(parser), null));
    }

    /** A setting of {@code minArgs} to {@code maxArgs} arguments, parsed from the directive by {@code parser}. */
    <T> Setting<T> arguments(String name, Set<Context> contexts, T defaultValue, int minArgs, int maxArgs,
            Function<Directive, T> parser) {
        return add(new Setting<>(List.of(name), contexts, defaultValue, minArgs, maxArgs, false, Setting.Repeat.REFUSE,
                parser, null));
    }

    /** A directive without arguments that opens a {@code { }} block, parsed by {@code parser}. */
    <T> Setting<T> block(String name, Set<Context> contexts, T defaultValue, Function<Directive, T> parser) {
        return add(new Setting<>(List.of(name), contexts, defaultValue, 0, 0, true, Setting.Repeat.REFUSE, parser,
                null));
    }

    /** A file or directory, relative to the directory of the configuration file it is in; null when unset. */
    Setting<Path> path(String name, Set<Context> contexts) {
        return add(new Setting<>(List.of(name), contexts, null, 1, 1, false, Setting.Repeat.REFUSE,
                Setting.checked(d -> Units.relativeToFile(d, Path.of(d.args().getFirst()))), null));
    }

    /** A directive that may repeat in a block, under any of {@code names}; its values collect in file order. */
    <E> Setting<List<E>> list(List<String> names, Set<Context> contexts, int minArgs, int maxArgs,
            Function<Directive, E> parser) {
        return add(new Setting<>(names, contexts, List.of(), minArgs, maxArgs, false, Setting.Repeat.COLLECT,
                d -> List.of(parser.apply(d)), (earlier, later) -> Stream.concat(earlier.stream(), later.stream())
                        .toList()));
    }

    /** The settings of all {@code tables}. */
    static Settings of(Settings... tables) {
        Settings all = new Settings();
        Stream.of(tables).forEach(table -> all.settings.addAll(table.settings));
        return all;
    }

    /** The setting named {@code name} that {@code context} allows. */
    Optional<Setting<?>> find(String name, Context context) {
        return settings.stream()
                .filter(setting -> setting.names().contains(name) && setting.allowedIn(context))
                .findFirst();
    }

    /** Whether a setting of this table is named {@code name}, in any context. */
    boolean knows(String name) {
        return settings.stream().anyMatch(setting -> setting.names().contains(name));
    }
}
