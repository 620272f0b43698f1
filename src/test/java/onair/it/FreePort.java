package onair.it;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/** Free TCP ports on 127.0.0.1, and a wait for a port to be listened on that does not connect to it. */
public final class FreePort {

    private FreePort() {
    }

    /** A TCP port that was free on 127.0.0.1 a moment ago. */
    public static int pick() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    /**
     * Waits until some process listens on {@code port}, read from {@code /proc/net/tcp[6]} so that a one-shot listener
     * such as {@code ffmpeg -listen 1} is not consumed by a probing connection; fails with {@code owner}'s stderr tail.
     */
    public static void awaitListening(int port, Duration timeout, FfmpegProcess owner) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String needle = ":%04X ".formatted(port).toUpperCase(Locale.ROOT);
        while (System.nanoTime() < deadline) {
            if (listening(Path.of("/proc/net/tcp"), needle) || listening(Path.of("/proc/net/tcp6"), needle)) {
                return;
            }
            if (owner != null && !owner.isAlive()) {
                fail("%s exited before listening on port %d%s", owner.name(), port, owner.describe());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for port " + port);
            }
        }
        fail("nothing listens on port %d after %s%s", port, timeout, owner == null ? "" : owner.describe());
    }

    private static boolean listening(Path table, String needle) {
        try {
            if (!Files.exists(table)) {
                return false;
            }
            return Files.readAllLines(table).stream().skip(1).map(String::trim).map(l -> l.split("\\s+"))
                    .anyMatch(f -> f.length > 3 && (f[1] + " ").endsWith(needle) && f[3].equals("0A"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
