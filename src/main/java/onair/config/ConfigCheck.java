package onair.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of {@code onair -t}: the lines to print on stderr, worded like {@code nginx -t}, and the exit code.
 */
public record ConfigCheck(List<String> lines, int exitCode) {

    public ConfigCheck {
        lines = List.copyOf(lines);
    }

    /** Loads {@code file} and reports each ignored directive as a warning, then success or the first error. */
    public static ConfigCheck of(Path file) {
        try {
            ServerConfig config = ServerConfig.load(file);
            List<String> lines = new ArrayList<>();
            config.ignored().forEach(note -> lines.add("onair: [warn] " + note));
            lines.add("onair: the configuration file " + file + " syntax is ok");
            lines.add("onair: configuration file " + file + " test is successful");
            return new ConfigCheck(lines, 0);
        } catch (ConfigException e) {
            return new ConfigCheck(List.of(
                    "onair: [emerg] " + e.getMessage(),
                    "onair: configuration file " + file + " test failed"), 1);
        }
    }
}
