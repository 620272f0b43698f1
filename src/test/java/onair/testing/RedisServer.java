package onair.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;

/**
 * Debian's real {@code redis-server}, started by a test on an ephemeral loopback port without persistence, with a
 * small client of its own to look at what the server holds. A missing {@code redis-server} fails the test.
 */
public final class RedisServer implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/bin/redis-server");
    private static final Duration READY = Duration.ofSeconds(10);

    private final int port;
    private final String password;
    private final Path log;
    private Process process;

    private RedisServer(int port, String password) throws IOException {
        this.port = port;
        this.password = password;
        this.log = Files.createTempFile("redis-" + port + "-", ".log");
    }

    /** A server on a free port. */
    public static RedisServer start() throws IOException, InterruptedException {
        return start(null);
    }

    /** A server on a free port that requires {@code password} ({@code --requirepass}); null for none. */
    public static RedisServer start(String password) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            fail(BINARY + " is missing: install Debian's redis-server (apt-get install -y redis-server; ./test does)");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        RedisServer server = new RedisServer(port, password);
        server.launch();
        return server;
    }

    private void launch() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--port", Integer.toString(port),
            "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
            "--dir", log.getParent().toString()));
        if (password != null) {
            command.addAll(List.of("--requirepass", password));
        }
        process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + READY.toNanos();
        while (true) {
            try {
                if ("PONG".equals(call(0, "PING"))) {
                    return;
                }
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    fail("redis-server exited with " + process.exitValue() + ": " + Files.readString(log));
                }
            }
            if (System.nanoTime() > deadline) {
                fail("redis-server did not answer on port " + port + " within " + READY + ": " + Files.readString(log));
            }
            Thread.sleep(20);
        }
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:PORT}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Kills the server with SIGKILL and waits for it to exit; its data is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Starts the server again on the same port, empty. */
    public void restart() throws IOException, InterruptedException {
        kill();
        launch();
    }

    /**
     * Runs one command in database {@code db} and returns its reply: a simple or bulk string, an integer as text, null
     * for a null reply; an error reply fails the test.
     */
    public String call(int db, String... command) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            if (password != null) {
                write(out, "AUTH", password);
                read(in);
            }
            if (db != 0) {
                write(out, "SELECT", Integer.toString(db));
                read(in);
            }
            write(out, command);
            return read(in);
        }
    }

    /** {@link #call(int, String...)} in database 0. */
    public String call(String... command) throws IOException {
        return call(0, command);
    }

    private static void write(OutputStream out, String... command) throws IOException {
        StringBuilder request = new StringBuilder("*" + command.length + "\r\n");
        for (String part : command) {
            request.append('$').append(part.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(part)
                .append("\r\n");
        }
        out.write(request.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String read(InputStream in) throws IOException {
        String line = line(in);
        return switch (line.charAt(0)) {
            case '+', ':' -> line.substring(1);
            case '-' -> fail("redis replied " + line);
            case '$' -> {
                int length = Integer.parseInt(line.substring(1));
                if (length < 0) {
                    yield null;
                }
                byte[] body = in.readNBytes(length + 2);
                yield new String(body, 0, length, StandardCharsets.UTF_8);
            }
            default -> fail("unexpected reply " + line);
        };
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        kill();
        Files.deleteIfExists(log);
    }
}
