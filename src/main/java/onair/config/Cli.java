package onair.config;

import java.nio.file.Path;

/**
 * The command line {@code onair [-?hvVt] [-s signal] [-c filename]}, read like nginx reads its own.
 *
 * @param configFile the {@code -c} file, or null for the built-in configuration ({@link ServerConfig#defaults()})
 * @param signal     the {@code -s} signal to send to the running server, or null to serve
 */
public record Cli(Path configFile, boolean testConfig, boolean version, boolean help, Signal signal) {

    /** What {@code -s} asks the running server (found through its pid file) to do. */
    public enum Signal {
        /** SIGHUP: re-read the configuration file. */
        RELOAD,
        /** SIGTERM: drain and exit. */
        STOP,
        /** SIGTERM, as {@link #STOP}: Onair's shutdown is always graceful. */
        QUIT
    }

    /** The text printed for {@code -h} and after a bad option. */
    public static final String USAGE = """
            Usage: onair [-?hvVt] [-s signal] [-c filename]

            Options:
              -?,-h         : this help
              -v            : show version and exit
              -V            : show version and exit
              -t            : test configuration and exit
              -s signal     : send signal to the running server: stop, quit, reload
              -c filename   : set configuration file (default: built-in configuration)
            """;

    /** Reads flags that may be grouped ({@code -tc file}) and a {@code -c} value given apart or attached. */
    public static Cli parse(String... args) {
        Path configFile = null;
        boolean testConfig = false;
        boolean version = false;
        boolean help = false;
        Signal signal = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("-") || arg.length() < 2) {
                throw invalid(arg);
            }
            for (int j = 1; j < arg.length(); j++) {
                switch (arg.charAt(j)) {
                    case '?', 'h' -> help = true;
                    case 'v', 'V' -> version = true;
                    case 't' -> testConfig = true;
                    case 'c' -> {
                        String value = j + 1 < arg.length() ? arg.substring(j + 1) : ++i < args.length ? args[i] : "";
                        if (value.isEmpty()) {
                            throw new ConfigException("option \"-c\" requires file name\n" + USAGE);
                        }
                        configFile = Path.of(value);
                        j = arg.length();
                    }
                    case 's' -> {
                        String value = j + 1 < arg.length() ? arg.substring(j + 1) : ++i < args.length ? args[i] : "";
                        if (value.isEmpty()) {
                            throw new ConfigException("option \"-s\" requires parameter\n" + USAGE);
                        }
                        signal = switch (value) {
                            case "reload" -> Signal.RELOAD;
                            case "stop" -> Signal.STOP;
                            case "quit" -> Signal.QUIT;
                            default -> throw new ConfigException("invalid option: \"-s " + value + "\"\n" + USAGE);
                        };
                        j = arg.length();
                    }
                    default -> throw invalid(arg.substring(j));
                }
            }
        }
        return new Cli(configFile, testConfig, version, help, signal);
    }

    private static ConfigException invalid(String option) {
        return new ConfigException("invalid option: \"" + option + "\"\n" + USAGE);
    }
}
