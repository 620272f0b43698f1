package onair.config;

import onair.stream.Client;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.IntStream;

/**
 * Onair's whole configuration: the servers of the {@code rtmp} and {@code http} sections, merged and validated, plus
 * one note per directive that was accepted but ignored (for one log line each).
 *
 * @param pidFile where the running server writes its process id, from the main-context {@code pid} directive
 * @param httpServers the servers of the {@code http} section; empty without one
 * @param directory the scale-out directory of the {@code directory} directives; {@link DirectoryConfig#OFF} without
 */
public record ServerConfig(List<RtmpServerConfig> rtmpServers, List<String> ignored, Path pidFile,
        List<HttpServerConfig> httpServers, DirectoryConfig directory) {

    /** The pid file without a {@code pid} directive: {@code onair.pid} in the temporary directory. */
    public static final Path DEFAULT_PID_FILE = Path.of(System.getProperty("java.io.tmpdir"), "onair.pid");

    /** The directory the built-in configuration serves under {@code /hls}: {@code onair} in the temporary directory. */
    public static final Path DEFAULT_MEDIA_DIR = Path.of(System.getProperty("java.io.tmpdir"), "onair");

    /** Where the built-in configuration writes HLS: {@code hls} in {@link #DEFAULT_MEDIA_DIR}. */
    public static final Path DEFAULT_HLS_PATH = DEFAULT_MEDIA_DIR.resolve("hls");

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
            http {
                server {
                    listen 8080;
                    location / {
                    }
                    location /live {
                        flv_live on;
                    }
                    location /hls {
                        root "%s";
                        add_header Cache-Control no-cache;
                        add_header Access-Control-Allow-Origin *;
                    }
                    location /stat {
                        rtmp_stat all;
                    }
                    location /metrics {
                        rtmp_metrics on;
                    }
                }
            }
            """.formatted(quoted(DEFAULT_HLS_PATH), quoted(DEFAULT_MEDIA_DIR));

    private static String quoted(Path path) {
        return path.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\"");
    }

    public ServerConfig {
        rtmpServers = List.copyOf(rtmpServers);
        ignored = List.copyOf(ignored);
        Objects.requireNonNull(pidFile, "pidFile");
        httpServers = List.copyOf(httpServers);
        Objects.requireNonNull(directory, "directory");
    }

    /** A configuration without a directory. */
    public ServerConfig(List<RtmpServerConfig> rtmpServers, List<String> ignored, Path pidFile,
            List<HttpServerConfig> httpServers) {
        this(rtmpServers, ignored, pidFile, httpServers, DirectoryConfig.OFF);
    }

    /**
     * The application named {@code name} in the first {@code server} block of the rtmp section that has one: streams
     * are keyed by application name across server blocks, so outputs that start from a stream look it up here.
     */
    public Optional<ApplicationConfig> application(String name) {
        OptionalInt server = server(name);
        return server.isEmpty() ? Optional.empty() : rtmpServers.get(server.getAsInt()).application(name);
    }

    /**
     * The application named {@code name} as a stream published by {@code publisher} has it: in the publisher's
     * {@code server} block, or for a stream without a publisher connection (null) as {@link #application(String)}.
     * Every output of a stream (HLS, recorders, callbacks about its files) looks its application up here.
     */
    public Optional<ApplicationConfig> application(String name, Client publisher) {
        if (publisher != null && publisher.server() >= 0 && publisher.server() < rtmpServers.size()) {
            return rtmpServers.get(publisher.server()).application(name);
        }
        return application(name);
    }

    /** The index of the {@code server} block {@link #application(String)} takes the application {@code name} from. */
    public OptionalInt server(String name) {
        return IntStream.range(0, rtmpServers.size())
            .filter(index -> rtmpServers.get(index).application(name).isPresent())
            .findFirst();
    }

    /**
     * The configuration used without {@code -c}: one RTMP server on port 1935 with a live application "live" that also
     * writes HLS to {@link #DEFAULT_HLS_PATH}, and an HTTP server on port 8080 with the web page, HTTP-FLV under
     * {@code /live}, HLS files under {@code /hls}, statistics under {@code /stat} and Prometheus metrics under
     * {@code /metrics}.
     */
    public static ServerConfig defaults() {
        return parse(BUILT_IN, "(built-in)");
    }

    private static boolean followsIncludes(String block) {
        return block.equals("rtmp") || block.equals("http");
    }

    /** Reads, checks and binds a configuration file and the files it includes. */
    public static ServerConfig load(Path file) {
        return ConfigBinder.bind(ConfigParser.parse(file, ServerConfig::followsIncludes), file.toString());
    }

    /** Like {@link #load(Path)} for text that is said to come from {@code fileName}. */
    public static ServerConfig parse(String text, String fileName) {
        return ConfigBinder.bind(ConfigParser.parse(text, fileName, ServerConfig::followsIncludes), fileName);
    }
}
