package onair;

import onair.config.Cli;
import onair.config.ConfigCheck;
import onair.config.ConfigException;
import onair.config.ServerConfig;
import onair.server.MediaServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import sun.misc.Signal;

import java.util.concurrent.CountDownLatch;

/** The {@code onair} command: nginx-like flags, then serve until SIGTERM or SIGINT. */
public final class Main {

    private static final String VERSION = "onair/" + version();

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
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
        serve(cli);
    }

    private static void serve(Cli cli) throws InterruptedException {
        Logger log = LoggerFactory.getLogger(Main.class);
        ServerConfig config;
        try {
            config = cli.configFile() == null ? ServerConfig.defaults() : ServerConfig.load(cli.configFile());
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
        try (MediaServer server = new MediaServer(config)) {
            try {
                server.start();
            } catch (Exception e) {
                log.error("cannot start: {}", e.toString());
                System.exit(1);
            }
            stop.await();
        }
    }

    private static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
