package onair.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A named access-log format ({@code log_format name 'format'}), compiled as {@code ngx_rtmp_log_compile_format} does:
 * literal text and {@code $variable} or {@code ${variable}} references to nginx-rtmp's session variables.
 */
public record LogFormat(String name, List<Part> parts) {

    /** The variables nginx-rtmp's access log knows. */
    public static final Set<String> VARIABLES = Set.of("connection", "remote_addr", "app", "name", "args",
        "flashver", "swfurl", "tcurl", "pageurl", "command", "bytes_sent", "bytes_received", "time_local", "msec",
        "session_time", "session_readable_time");

    /** nginx-rtmp's predefined format. */
    public static final LogFormat COMBINED = compile("combined", "$remote_addr [$time_local] $command "
        + "\"$app\" \"$name\" \"$args\" - $bytes_received $bytes_sent \"$pageurl\" \"$flashver\" "
        + "($session_readable_time)");

    /** Literal text when {@code variable} is null, otherwise a variable's value. */
    public record Part(String literal, String variable) {}

    public LogFormat {
        parts = List.copyOf(parts);
    }

    /** Compiles {@code format}; an unknown variable or a bad reference is an IllegalArgumentException. */
    public static LogFormat compile(String name, String format) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i);
            if (c != '$') {
                literal.append(c);
                i++;
                continue;
            }
            i++;
            boolean bracket = i < format.length() && format.charAt(i) == '{';
            if (bracket) {
                i++;
            }
            int start = i;
            while (i < format.length() && isNameChar(format.charAt(i))) {
                i++;
            }
            String variable = format.substring(start, i);
            if (bracket) {
                if (i >= format.length() || format.charAt(i) != '}') {
                    throw new IllegalArgumentException("missing closing bracket in \"" + variable + "\"");
                }
                i++;
            }
            if (variable.isEmpty()) {
                throw new IllegalArgumentException("invalid parameter \"" + format + "\"");
            }
            if (!VARIABLES.contains(variable)) {
                throw new IllegalArgumentException("unknown variable \"" + variable + "\"");
            }
            if (!literal.isEmpty()) {
                parts.add(new Part(literal.toString(), null));
                literal.setLength(0);
            }
            parts.add(new Part(null, variable));
        }
        if (!literal.isEmpty()) {
            parts.add(new Part(literal.toString(), null));
        }
        return new LogFormat(name, parts);
    }

    private static boolean isNameChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
    }
}
