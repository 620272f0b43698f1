package onair.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code access_log} directives in force for a server block or an application: each target gets one line per
 * finished connection in its format. No targets means {@code access_log off} (Onair's default, as it has no nginx
 * prefix to put {@code logs/access.log} under).
 */
public record AccessLogConfig(List<Target> targets) {

    public static final AccessLogConfig OFF = new AccessLogConfig(List.of());

    static final Settings SETTINGS = new Settings();
    /** {@code access_log PATH [FORMAT]} or {@code access_log off}, kept as directives until the formats are known. */
    static final Setting<List<Directive>> LOG =
            SETTINGS.list(List.of("access_log"), Context.APPLICATIONS, 1, 2, d -> d);

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

    /**
     * The access log in force in {@code scope}, with {@code formats} by name: a block without {@code access_log}
     * inherits, {@code off} turns the log off, and each {@code PATH [FORMAT]} adds a target (nginx-rtmp's
     * {@code ngx_rtmp_log_merge_app_conf}).
     */
    static AccessLogConfig from(Scope scope, Map<String, LogFormat> formats) {
        List<Target> targets = new ArrayList<>();
        boolean off = false;
        for (Directive d : scope.get(LOG)) {
            if (d.args().getFirst().equals("off")) {
                off = true;
                continue;
            }
            String formatName = d.args().size() > 1 ? d.args().get(1) : "combined";
            LogFormat format = formats.entrySet().stream()
                    .filter(entry -> entry.getKey().equalsIgnoreCase(formatName))
                    .map(Map.Entry::getValue).findFirst()
                    .orElseThrow(() -> ConfigException.at(d, "unknown log format \"" + formatName + "\""));
            targets.add(new Target(Units.relativeToFile(d, Path.of(d.args().getFirst())), format));
        }
        return off ? OFF : new AccessLogConfig(targets);
    }
}
