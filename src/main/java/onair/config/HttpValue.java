package onair.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A directive argument with nginx variables in it ({@code $name} or {@code ${name}}), evaluated per request: the
 * request's variables ({@code $request_method}, {@code $uri}, {@code $http_NAME}, {@code $arg_NAME}, …) and those
 * of {@code map} blocks.
 */
public final class HttpValue {

    /** The request variables Onair's HTTP server gives, besides {@code $http_NAME} and {@code $arg_NAME}. */
    static final Set<String> BUILTIN = Set.of("request_method", "uri", "document_uri", "request_uri", "args",
            "query_string", "is_args", "scheme", "host", "http_host", "remote_addr", "remote_port", "server_port",
            "server_protocol");

    private static final Pattern VARIABLE = Pattern.compile("\\$(?:\\{([A-Za-z0-9_]+)}|([A-Za-z0-9_]+))");

    private final String text;
    private final List<String> parts;

    private HttpValue(String text, List<String> parts) {
        this.text = text;
        this.parts = parts;
    }

    /** {@code text} as written, its variables found; a plain string has none. */
    public static HttpValue of(String text) {
        List<String> parts = new ArrayList<>();
        Matcher m = VARIABLE.matcher(text);
        int at = 0;
        while (m.find()) {
            parts.add(text.substring(at, m.start()));
            parts.add(m.group(1) != null ? m.group(1) : m.group(2));
            at = m.end();
        }
        parts.add(text.substring(at));
        return new HttpValue(text, List.copyOf(parts));
    }

    /** Whether {@code name} is a variable Onair's HTTP server gives, or one of {@code maps}. */
    static boolean known(String name, Set<String> maps) {
        return BUILTIN.contains(name) || maps.contains(name) || name.startsWith("http_") || name.startsWith("arg_")
                || name.startsWith("cookie_") || name.chars().allMatch(Character::isDigit);
    }

    /** Refuses, with nginx's message, the first variable of {@code text} that is not {@link #known}. */
    static void check(Directive d, String text, Set<String> maps) {
        HttpValue value = of(text);
        for (int i = 1; i < value.parts.size(); i += 2) {
            if (!known(value.parts.get(i), maps)) {
                throw ConfigException.at(d, "unknown \"" + value.parts.get(i) + "\" variable");
            }
        }
    }

    /** The text with each variable replaced by its value ({@code variables} returns null for an unset one). */
    public String evaluate(Function<String, String> variables) {
        if (parts.size() == 1) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            if (i % 2 == 0) {
                out.append(parts.get(i));
            } else {
                String value = variables.apply(parts.get(i));
                out.append(value == null ? "" : value);
            }
        }
        return out.toString();
    }

    /** The text as written. */
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HttpValue value && value.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
