package onair.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * An HTTP (or HTTPS) callback backend on an ephemeral loopback port, like the auth scripts nginx-rtmp users run: it
 * records every request with its form arguments (from the query of a GET or the body of a POST, in order) and answers
 * each one as the test says.
 */
public final class CallbackBackend implements AutoCloseable {

    /** One request: method, path, raw query and body, and the decoded form arguments in order. */
    public record Call(String method, String path, String query, String body, List<Map.Entry<String, String>> args) {

        /** The value of argument {@code name}, or null. */
        public String arg(String name) {
            return args.stream().filter(e -> e.getKey().equals(name)).map(Map.Entry::getValue).findFirst().orElse(null);
        }

        public List<String> names() {
            return args.stream().map(Map.Entry::getKey).toList();
        }

        /** The arguments as a name → value map (first value of a repeated name). */
        public Map<String, String> map() {
            Map<String, String> map = new LinkedHashMap<>();
            args.forEach(e -> map.putIfAbsent(e.getKey(), e.getValue()));
            return map;
        }
    }

    /** How to answer: a status, an optional Location header and a delay before answering. */
    public record Reply(int status, String location, Duration delay) {

        public static Reply status(int status) {
            return new Reply(status, null, Duration.ZERO);
        }

        public static Reply redirect(String location) {
            return new Reply(302, location, Duration.ZERO);
        }

        public static Reply after(Duration delay, int status) {
            return new Reply(status, null, delay);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "callback-backend");
        thread.setDaemon(true);
        return thread;
    });
    private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
    private volatile Function<Call, Reply> replies = call -> Reply.status(200);

    private CallbackBackend(HttpServer server) {
        this.server = server;
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** A plain HTTP backend answering 200 until told otherwise. */
    public static CallbackBackend start() throws IOException {
        return new CallbackBackend(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
    }

    /** An HTTPS backend presenting {@code certificate} (for localhost and 127.0.0.1). */
    public static CallbackBackend startTls(TestCertificate certificate) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("backend", certificate.privateKey(), new char[0], new Certificate[] {certificate.x509()});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        return new CallbackBackend(server);
    }

    /** The URL of {@code path} on this backend, {@code http://127.0.0.1:PORT/path} (https for a TLS backend). */
    public String url(String path) {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return scheme + "://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Answers every following request with what {@code replies} returns for it. */
    public CallbackBackend answer(Function<Call, Reply> replies) {
        this.replies = replies;
        return this;
    }

    /**
     * Waits up to 5 s for the first request, in arrival order, whose {@code call} argument is {@code call}, and takes
     * it; other requests stay for later calls (callbacks sent together may arrive in any order).
     */
    public Call await(String call) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            for (Call next : calls) {
                if (call.equals(next.arg("call")) && calls.remove(next)) {
                    return next;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no call=" + call + " within 5 s; received "
            + calls.stream().map(c -> c.arg("call")).toList());
    }

    /** The requests received and not yet taken by {@link #await}. */
    public List<Call> pending() {
        return List.copyOf(calls);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String query = exchange.getRequestURI().getRawQuery();
            String method = exchange.getRequestMethod();
            Call call = new Call(method, exchange.getRequestURI().getPath(), query, body,
                parse(method.equals("GET") ? query : body));
            calls.add(call);
            Reply reply = replies.apply(call);
            if (!reply.delay().isZero()) {
                Thread.sleep(reply.delay().toMillis());
            }
            if (reply.location() != null) {
                exchange.getResponseHeaders().add("Location", reply.location());
            }
            exchange.sendResponseHeaders(reply.status(), -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<Map.Entry<String, String>> parse(String form) {
        List<Map.Entry<String, String>> args = new ArrayList<>();
        if (form == null || form.isEmpty()) {
            return args;
        }
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            args.add(Map.entry(URLDecoder.decode(name, StandardCharsets.UTF_8),
                URLDecoder.decode(value, StandardCharsets.UTF_8)));
        }
        return args;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
