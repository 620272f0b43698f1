package onair.config;

import java.util.List;

/**
 * One directive of an nginx-style configuration file, with the file and line it starts on.
 *
 * @param block the directives inside its {@code { }}, or null when it ends with {@code ;}
 */
public record Directive(String name, List<String> args, List<Directive> block, String file, int line) {

    public Directive {
        args = List.copyOf(args);
        block = block == null ? null : List.copyOf(block);
    }

    /** {@code file:line}, the prefix of every message about this directive. */
    public String location() {
        return file + ":" + line;
    }
}
