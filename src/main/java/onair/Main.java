package onair;

import onair.config.Cli;
import onair.config.ConfigCheck;
import onair.config.ConfigException;
import onair.config.ServerConfig;
import onair.notify.PublishToken;
import onair.server.MediaServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import sun.misc.Signal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code onair} command: nginx-like flags, then serve until SIGTERM or SIGINT, reloading the configuration on
 * SIGHUP; {@code -s} signals the server named by the pid file instead; {@code onair token ...} mints a publish token.
 */
public final class Main {

    private static final String VERSION = "onair/" + version();

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && args[0].equals("token")) {
            try {
                System.out.println(PublishToken.command(List.of(args).subList(1, args.length),
                    System.getenv("ONAIR_PUBLISH_TOKEN_SECRET"), Instant.now().getEpochSecond()));
            } catch (IllegalArgumentException e) {
                System.err.println("onair: " + e.getMessage());
                System.exit(2);
            }
            return;
        }
        Cli cli;
        try {
            cli = Cli.parse(args);
        } catch (ConfigException e) {
            System.err.println("onair: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (cli.help()) {
            System.err.print(Cli.USAGE);
            return;
        }
        if (cli.version()) {
            System.err.println("onair version: " + VERSION);
            return;
        }
        if (cli.testConfig()) {
            ConfigCheck check = cli.configFile() == null
                ? new ConfigCheck(java.util.List.of("onair: the built-in configuration syntax is ok",
                    "onair: built-in configuration test is successful"), 0)
                : ConfigCheck.of(cli.configFile());
            check.lines().forEach(System.err::println);
            System.exit(check.exitCode());
            return;
        }
        if (cli.signal() != null) {
            System.exit(signal(cli));
            return;
        }
        serve(cli);
    }

    private static int signal(Cli cli) {
        Path pidFile;
        try {
            pidFile = load(cli).pidFile();
        } catch (ConfigException e) {
            System.err.println("onair: " + e.getMessage());
            return 1;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).strip());
        } catch (IOException e) {
            System.err.println("onair: cannot read pid file \"" + pidFile + "\": " + e.getMessage());
            return 1;
        } catch (NumberFormatException e) {
            System.err.println("onair: invalid PID number in \"" + pidFile + "\"");
            return 1;
        }
        String name = cli.signal() == Cli.Signal.RELOAD ? "HUP" : "TERM";
        try {
            Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(pid)).inheritIO().start();
            if (kill.waitFor() != 0) {
                System.err.println("onair: kill -s " + name + " " + pid + " failed (from \"" + pidFile + "\")");
                return 1;
            }
            return 0;
        } catch (IOException e) {
            System.err.println("onair: cannot run kill: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static ServerConfig load(Cli cli) {
        return cli.configFile() == null ? ServerConfig.defaults() : ServerConfig.load(cli.configFile());
    }

    private static void serve(Cli cli) throws InterruptedException {
        Logger log = LoggerFactory.getLogger(Main.class);
        ServerConfig config;
        try {
            config = load(cli);
        } catch (ConfigException e) {
            log.error("{}", e.getMessage());
            System.exit(1);
            return;
        }
        config.ignored().forEach(note -> log.warn("{}", note));
        log.info("{} starting with {}", VERSION,
            cli.configFile() == null ? "the built-in configuration" : cli.configFile());
        CountDownLatch stop = new CountDownLatch(1);
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                log.info("SIG{} received, shutting down", signal.getName());
                stop.countDown();
            });
        }
        PidFile pid = new PidFile(log);
        try (MediaServer server = new MediaServer(config)) {
            try {
                server.start();
            } catch (Exception e) {
                log.error("cannot start: {}", e.toString());
                System.exit(1);
            }
            pid.write(config.pidFile());
            Signal.handle(new Signal("HUP"), signal -> {
                log.info("SIGHUP received, reloading");
                synchronized (pid) {
                    if (server.reload(cli.configFile())) {
                        pid.write(server.config().pidFile());
                    }
                }
            });
            stop.await();
        } finally {
            synchronized (pid) {
                pid.delete();
            }
        }
    }

    /** The file holding this process id, for {@code onair -s}; moved when a reload names another one. */
    private static final class PidFile {

        private final Logger log;
        private final String pid = Long.toString(ProcessHandle.current().pid());
        private Path path;

        PidFile(Logger log) {
            this.log = log;
        }

        void write(Path next) {
            if (next.equals(path)) {
                return;
            }
            try {
                Files.writeString(next, pid + "\n");
            } catch (IOException e) {
                log.warn("cannot write pid file {}: {}; onair -s will not find this server", next, e.toString());
                return;
            }
            delete();
            path = next;
        }

        void delete() {
            try {
                if (path != null && Files.readString(path).strip().equals(pid)) {
                    Files.delete(path);
                }
            } catch (IOException e) {
                log.debug("cannot remove pid file {}: {}", path, e.toString());
            }
            path = null;
        }
    }

    private static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
