package onair.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * An nginx {@code map SOURCE $NAME { … }} of the {@code http} block: {@code $NAME} is the value of the line whose key
 * is the source's value (exact keys first, then {@code ~REGEX} and {@code ~*REGEX} keys in order), else
 * {@code default} (empty without one).
 */
public final class HttpMap {

    private record RegexKey(Pattern pattern, HttpValue value) {}

    private final String name;
    private final HttpValue source;
    private final Map<String, HttpValue> exact;
    private final List<RegexKey> regexes;
    private final HttpValue fallback;

    private HttpMap(String name, HttpValue source, Map<String, HttpValue> exact, List<RegexKey> regexes,
            HttpValue fallback) {
        this.name = name;
        this.source = source;
        this.exact = Map.copyOf(exact);
        this.regexes = List.copyOf(regexes);
        this.fallback = fallback;
    }

    /** The name of the variable {@code map} directive {@code d} defines, without {@code $}. */
    static String name(Directive d) {
        if (d.block() == null) {
            throw ConfigException.at(d, "directive \"map\" has no opening \"{\"");
        }
        if (d.args().size() != 2) {
            throw ConfigException.invalidArgumentCount(d);
        }
        String target = d.args().get(1);
        if (!target.startsWith("$") || target.length() < 2) {
            throw ConfigException.at(d, "invalid variable name \"" + target + "\"");
        }
        return target.substring(1);
    }

    /** Binds {@code map} directive {@code d}; {@code maps} are the names of every map of the {@code http} block. */
    static HttpMap bind(Directive d, Set<String> maps) {
        String name = name(d);
        HttpValue.check(d, d.args().getFirst(), maps);
        Map<String, HttpValue> exact = new HashMap<>();
        List<RegexKey> regexes = new ArrayList<>();
        HttpValue fallback = HttpValue.of("");
        for (Directive line : d.block()) {
            String key = line.name();
            if (key.equals("volatile") && line.args().isEmpty()) {
                continue;
            }
            if (key.equals("hostnames") || key.equals("include")) {
                throw ConfigException.at(line, "\"" + key + "\" in \"map\" is not supported yet");
            }
            if (line.block() != null || line.args().size() != 1) {
                throw ConfigException.at(line, "invalid number of the map parameters");
            }
            String raw = line.args().getFirst();
            HttpValue.check(line, raw, maps);
            HttpValue value = HttpValue.of(raw);
            if (key.equals("default")) {
                fallback = value;
            } else if (key.startsWith("~*")) {
                regexes.add(new RegexKey(HttpCondition.regex(line, key.substring(2), true), value));
            } else if (key.startsWith("~")) {
                regexes.add(new RegexKey(HttpCondition.regex(line, key.substring(1), false), value));
            } else if (exact.putIfAbsent(key.startsWith("\\") ? key.substring(1) : key, value) != null) {
                throw ConfigException.at(line, "duplicate \"" + key + "\" map parameter");
            }
        }
        return new HttpMap(name, HttpValue.of(d.args().getFirst()), exact, regexes, fallback);
    }

    /** The variable's name, without {@code $}. */
    public String name() {
        return name;
    }

    /** The variable's value for a request whose other variables are {@code variables}. */
    public String evaluate(Function<String, String> variables) {
        String key = source.evaluate(variables);
        HttpValue value = exact.get(key);
        if (value == null) {
            value = regexes.stream().filter(regex -> regex.pattern().matcher(key).find()).map(RegexKey::value)
                    .findFirst().orElse(fallback);
        }
        return value.evaluate(variables);
    }
}
