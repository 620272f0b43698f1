package onair.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The {@code access_log} directives in force for a server block or an application: each target gets one line per
 * finished connection in its format. No targets means {@code access_log off} (Onair's default, as it has no nginx
 * prefix to put {@code logs/access.log} under).
 */
public record AccessLogConfig(List<Target> targets) {

    public static final AccessLogConfig OFF = new AccessLogConfig(List.of());

    /** One {@code access_log path [format]}: the file (relative paths resolved against the config file's directory). */
    public record Target(Path file, LogFormat format) {

        public Target {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(format, "format");
        }
    }

    public AccessLogConfig {
        targets = List.copyOf(targets);
    }
}
