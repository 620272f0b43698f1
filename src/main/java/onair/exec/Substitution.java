package onair.exec;

import java.util.Map;

/**
 * nginx-rtmp's variable substitution in exec arguments ({@code ngx_rtmp_eval}), reproduced character for character.
 * {@code $} starts a variable name made of ASCII letters only: the first other character ends it and is then read as
 * usual, so {@code $name_low} is {@code $name} followed by {@code _low} and {@code $name2} is {@code $name} followed
 * by {@code 2}. {@code ${...}} takes everything up to {@code }}; an unclosed {@code ${} drops the rest of the
 * argument. {@code \} makes the next character literal (a trailing one is dropped). An unknown or empty variable
 * name gives the empty string, so a lone {@code $} disappears.
 */
final class Substitution {

    private Substitution() {}

    static String evaluate(String template, Map<String, String> variables) {
        StringBuilder out = new StringBuilder(template.length() + 16);
        int nameStart = -1;
        boolean braced = false;
        boolean escape = false;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (escape) {
                out.append(c);
                escape = false;
                continue;
            }
            if (nameStart >= 0) {
                if (braced) {
                    if (c == '}') {
                        out.append(variables.getOrDefault(template.substring(nameStart, i), ""));
                        nameStart = -1;
                    }
                    continue;
                }
                if (c == '{' && i == nameStart) {
                    braced = true;
                    nameStart++;
                    continue;
                }
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                    continue;
                }
                out.append(variables.getOrDefault(template.substring(nameStart, i), ""));
                nameStart = -1;
            }
            switch (c) {
                case '$' -> {
                    nameStart = i + 1;
                    braced = false;
                }
                case '\\' -> escape = true;
                default -> out.append(c);
            }
        }
        if (nameStart >= 0 && !braced) {
            out.append(variables.getOrDefault(template.substring(nameStart), ""));
        }
        return out.toString();
    }
}
