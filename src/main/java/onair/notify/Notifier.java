package onair.notify;

import onair.config.AdmissionConfig;
import onair.lifecycle.Decision;
import onair.config.AdmissionConfig.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Sends nginx-rtmp's HTTP callbacks (reference §8.1, §8.3) with the JDK HTTP client, asynchronously on two daemon
 * threads: one request per callback, bounded by {@code netcall_timeout}, answered as a {@link Decision}. One client per
 * trust configuration, so {@code https://} callbacks work with the JDK's CAs or {@code notify_ssl_trusted_certificate}.
 */
final class Notifier implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Notifier.class);
    private static final AtomicInteger threads = new AtomicInteger();
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(1);

    private final ExecutorService executor = Executors.newFixedThreadPool(2, task -> {
        Thread thread = new Thread(task, "onair-notify-" + threads.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });
    private final Map<List<X509Certificate>, HttpClient> clients = new ConcurrentHashMap<>();
    private final UrlConnectionSender urlConnections = new UrlConnectionSender();

    /**
     * Calls {@code callback} and decides by the reply's status: 2xx allows, 3xx redirects to its {@code Location}
     * (allows without one; only 2xx allows when {@code only2xx}), anything else, a failure or a timeout rejects.
     */
    CompletableFuture<Decision> ask(AdmissionConfig config, Callback callback, Form form, boolean only2xx) {
        return ask(config, callback, config.url(callback).orElseThrow(), form, only2xx);
    }

    /** Calls {@code callback} at {@code url}, with the method, timeout and trust of {@code config}. */
    CompletableFuture<Decision> ask(AdmissionConfig config, Callback callback, URI url, Form form, boolean only2xx) {
        long timeout = config.netcallTimeout().toMillis();
        CompletableFuture<UrlConnectionSender.Reply> sent;
        try {
            sent = send(config, url, form);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(Decision.reject(callback.directive() + " " + shown(url)
                    + " failed: " + e.getMessage(), callback.directive() + " failed"));
        }
        CompletableFuture.delayedExecutor(timeout, TimeUnit.MILLISECONDS, executor).execute(() -> sent.cancel(true));
        return sent.handle((response, error) -> {
            String prefix = callback.directive() + " " + shown(url);
            if (error != null) {
                String failure = failure(error, timeout);
                return Decision.reject(prefix + " " + failure, callback.directive() + " "
                        + (failure.startsWith("timed out") ? "timed out" : "failed"));
            }
            int status = response.status();
            if (status / 100 == 2) {
                return Decision.ALLOW;
            }
            if (status / 100 == 3 && !only2xx) {
                return response.location() == null || response.location().isEmpty() ? Decision.ALLOW
                        : Decision.redirect(response.location());
            }
            return Decision.reject(prefix + " answered " + status, callback.directive() + " answered " + status);
        });
    }

    /**
     * Sends the request: with the JDK client, or through {@link UrlConnectionSender} when {@link URI} found no host
     * name in the URL (it has a {@code _}).
     */
    private CompletableFuture<UrlConnectionSender.Reply> send(AdmissionConfig config, URI url, Form form) {
        boolean get = config.method() == AdmissionConfig.Method.GET;
        URI target = get ? URI.create(url + (url.getRawQuery() == null ? "?" : "&") + form) : url;
        if (url.getHost() == null) {
            return urlConnections.send(target, get ? null : form.toString(), config.netcallTimeout());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(config.netcallTimeout())
                .header("Content-Type", "application/x-www-form-urlencoded");
        if (!get) {
            request.POST(HttpRequest.BodyPublishers.ofString(form.toString()));
        }
        CompletableFuture<HttpResponse<Void>> sent =
                client(config.trusted()).sendAsync(request.build(), HttpResponse.BodyHandlers.discarding());
        CompletableFuture<UrlConnectionSender.Reply> reply = sent.thenApply(response -> new UrlConnectionSender.Reply(
                response.statusCode(), response.headers().firstValue("Location").orElse(null)));
        reply.whenComplete((done, error) -> {
            if (reply.isCancelled()) {
                sent.cancel(true);
            }
        });
        return reply;
    }

    /** The URL as logged: without user info and query, which may hold credentials. */
    private static String shown(URI url) {
        String authority = url.getRawAuthority() == null ? "" : url.getRawAuthority();
        return url.getScheme() + "://" + authority.substring(authority.lastIndexOf('@') + 1)
                + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    /** Calls {@code callback} and ignores the reply (the {@code on_*_done} family); a failure is logged. */
    void tell(AdmissionConfig config, Callback callback, Form form) {
        tell(config, callback, config.url(callback).orElseThrow(), form);
    }

    /** Calls {@code callback} at {@code url} and ignores the reply; a failure is logged. */
    void tell(AdmissionConfig config, Callback callback, URI url, Form form) {
        ask(config, callback, url, form, false).thenAccept(decision -> {
            if (!decision.allowed()) {
                log.info("{} (ignored)", decision.reason());
            }
        });
    }

    private static String failure(Throwable error, long timeout) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return switch (cause) {
            case CancellationException c -> "timed out after " + timeout + " ms";
            case HttpTimeoutException t -> "timed out after " + timeout + " ms";
            case SocketTimeoutException t -> "timed out after " + timeout + " ms";
            case ConnectException c -> "failed: connection refused";
            case SSLException s -> "failed: TLS: " + s.getMessage();
            case IOException io when io.getCause() instanceof SSLException s -> "failed: TLS: " + s.getMessage();
            default -> "failed: " + cause;
        };
    }

    private HttpClient client(List<X509Certificate> trusted) {
        return clients.computeIfAbsent(trusted, certificates -> {
            HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER).executor(executor);
            if (!certificates.isEmpty()) {
                builder.sslContext(trusting(certificates));
            }
            return builder.build();
        });
    }

    private static SSLContext trusting(List<X509Certificate> certificates) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("trusted-" + i, certificates.get(i));
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot trust the notify_ssl_trusted_certificate certificates", e);
        }
    }

    /** Lets requests in flight (the last {@code on_*_done}) finish for up to a second, then stops. */
    @Override
    public void close() {
        clients.values().forEach(HttpClient::shutdown);
        try {
            for (HttpClient client : clients.values()) {
                if (!client.awaitTermination(CLOSE_GRACE)) {
                    client.shutdownNow();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        clients.values().forEach(HttpClient::shutdownNow);
        urlConnections.close();
        executor.shutdownNow();
    }
}
