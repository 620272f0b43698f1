package onair.config;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settings one configuration block gives, inside its enclosing blocks: a setting the block does not give takes
 * the enclosing block's value, and the setting's default outside the outermost block, as nginx merges its
 * configurations. Each value keeps the directive it came from, for {@code file:line} errors found after parsing.
 */
final class Scope {

    private record Value<T>(T value, Directive directive) {}

    private final Directive block;
    private final Context context;
    private final Scope parent;
    private final Map<Setting<?>, Value<?>> values = new IdentityHashMap<>();
    private final List<Scope> children = new ArrayList<>();

    private Scope(Directive block, Context context, Scope parent) {
        this.block = block;
        this.context = context;
        this.parent = parent;
    }

    /** The scope of an outermost block ({@code rtmp} or {@code http}). */
    static Scope root(Directive block, Context context) {
        return new Scope(block, context, null);
    }

    /** A new scope for {@code block} inside this one, added to {@link #children()}. */
    Scope child(Directive block, Context context) {
        Scope child = new Scope(block, context, this);
        children.add(child);
        return child;
    }

    /** The directive that opens this block. */
    Directive block() {
        return block;
    }

    /** The enclosing block's scope; null for an outermost block. */
    Scope parent() {
        return parent;
    }

    Context context() {
        return context;
    }

    /** The first argument of the block's directive: the name of an application or a recorder. */
    String name() {
        return block.args().getFirst();
    }

    /** The scopes of the blocks inside this one, in file order. */
    List<Scope> children() {
        return List.copyOf(children);
    }

    /**
     * Binds {@code d} to {@code setting} in this block: checks its shape, refuses or merges a repeat as the setting
     * says, then parses it.
     */
    <T> void set(Setting<T> setting, Directive d) {
        setting.checkShape(d);
        boolean repeated = has(setting);
        if (repeated && setting.repeat() == Setting.Repeat.REFUSE) {
            throw ConfigException.at(d, "\"" + d.name() + "\" directive is duplicate");
        }
        T value = setting.parse(d);
        if (repeated && setting.repeat() == Setting.Repeat.COLLECT) {
            value = setting.collect(own(setting).orElseThrow(), value);
        }
        values.put(setting, new Value<>(value, d));
    }

    /** The value in force here: this block's, else the nearest enclosing block's, else the default. */
    <T> T get(Setting<T> setting) {
        return find(setting).orElse(setting.defaultValue());
    }

    /** The value this block or an enclosing one gives, without the default. */
    <T> Optional<T> find(Setting<T> setting) {
        for (Scope scope = this; scope != null; scope = scope.parent) {
            Optional<T> value = scope.own(setting);
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }

    /** The value this block itself gives. */
    @SuppressWarnings("unchecked")
    <T> Optional<T> own(Setting<T> setting) {
        Value<?> value = values.get(setting);
        return value == null ? Optional.empty() : Optional.ofNullable((T) value.value());
    }

    /** Whether this block itself gives {@code setting}. */
    boolean has(Setting<?> setting) {
        return values.containsKey(setting);
    }

    /** The values of a repeated setting given by this block and every enclosing one, innermost first. */
    <E> List<E> collect(Setting<List<E>> setting) {
        List<E> all = new ArrayList<>();
        for (Scope scope = this; scope != null; scope = scope.parent) {
            scope.own(setting).ifPresent(all::addAll);
        }
        return List.copyOf(all);
    }

    /** The directive that gave the value in force here; empty when it is the default. */
    Optional<Directive> where(Setting<?> setting) {
        for (Scope scope = this; scope != null; scope = scope.parent) {
            Value<?> value = scope.values.get(setting);
            if (value != null) {
                return Optional.of(value.directive());
            }
        }
        return Optional.empty();
    }
}
