package onair.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Onair's whole configuration: the servers of the {@code rtmp} section, merged and validated, plus one note per
 * directive that was accepted but ignored (for one log line each).
 *
 * @param pidFile where the running server writes its process id, from the main-context {@code pid} directive
 */
public record ServerConfig(List<RtmpServerConfig> rtmpServers, List<String> ignored, Path pidFile) {

    /** The pid file without a {@code pid} directive: {@code onair.pid} in the temporary directory. */
    public static final Path DEFAULT_PID_FILE = Path.of(System.getProperty("java.io.tmpdir"), "onair.pid");

    /** Where the built-in configuration writes HLS: {@code onair/hls} in the temporary directory. */
    public static final Path DEFAULT_HLS_PATH = Path.of(System.getProperty("java.io.tmpdir"), "onair", "hls");

    private static final String BUILT_IN = """
            rtmp {
                server {
                    listen 1935;
                    chunk_size 4000;
                    application live {
                        live on;
                        hls on;
                        hls_path "%s";
                    }
                }
            }
            """.formatted(DEFAULT_HLS_PATH.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\""));

    public ServerConfig {
        rtmpServers = List.copyOf(rtmpServers);
        ignored = List.copyOf(ignored);
        Objects.requireNonNull(pidFile, "pidFile");
    }

    /**
     * The configuration used without {@code -c}: one server on port 1935 with a live application "live" that also
     * writes HLS to {@link #DEFAULT_HLS_PATH}.
     */
    public static ServerConfig defaults() {
        return parse(BUILT_IN, "(built-in)");
    }

    /** Reads, checks and binds a configuration file and the files it includes. */
    public static ServerConfig load(Path file) {
        return ConfigBinder.bind(ConfigParser.parse(file, "rtmp"::equals), file.toString());
    }

    /** Like {@link #load(Path)} for text that is said to come from {@code fileName}. */
    public static ServerConfig parse(String text, String fileName) {
        return ConfigBinder.bind(ConfigParser.parse(text, fileName, "rtmp"::equals), fileName);
    }
}
