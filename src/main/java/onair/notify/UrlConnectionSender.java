package onair.notify;

import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends the callbacks whose host {@link URI} cannot parse as a server name (a {@code _} in it, as in docker-compose
 * service names, which nginx resolves like any other), which the JDK HTTP client refuses: through
 * {@link HttpURLConnection}, which resolves the name and sends it as the {@code Host} header, on a small bounded pool
 * of blocking threads.
 */
final class UrlConnectionSender implements AutoCloseable {

    private static final int THREADS = 8;
    private static final int QUEUE = 256;
    private static final AtomicInteger threads = new AtomicInteger();

    /** The parts of a reply a callback decides by. */
    record Reply(int status, String location) {}

    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE), task -> {
                Thread thread = new Thread(task, "onair-notify-host-" + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });

    UrlConnectionSender() {
        pool.allowCoreThreadTimeOut(true);
    }

    /** Sends {@code body} (null for a GET) to {@code url}; connecting and reading the reply each take at most {@code timeout}. */
    CompletableFuture<Reply> send(URI url, String body, Duration timeout) {
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        try {
            pool.execute(() -> {
                try {
                    reply.complete(call(url, body, timeout));
                } catch (IOException | RuntimeException e) {
                    reply.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            reply.completeExceptionally(new IOException("more than " + QUEUE + " callbacks waiting"));
        }
        return reply;
    }

    private static Reply call(URI url, String body, Duration timeout) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) url.toURL().openConnection(Proxy.NO_PROXY);
        try {
            int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
            connection.setConnectTimeout(millis);
            connection.setReadTimeout(millis);
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
            if (body == null) {
                connection.setRequestMethod("GET");
            } else {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                connection.setRequestMethod("POST");
                connection.setDoOutput(true);
                connection.setFixedLengthStreamingMode(bytes.length);
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(bytes);
                }
            }
            return new Reply(connection.getResponseCode(), connection.getHeaderField("Location"));
        } finally {
            connection.disconnect();
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
