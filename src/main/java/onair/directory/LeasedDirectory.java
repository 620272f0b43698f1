package onair.directory;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A directory on a {@link LeaseStore}: each registration's key is {@code PREFIX stream:APP/NAME} holding the origin's
 * URL, taken with a lease and refreshed every third of it. A registration that does not hold its lease (the store is
 * down, or another origin holds it) tries again at each refresh and as soon as the store is back; one log line tells
 * when it starts waiting and one when it takes the lease.
 */
public final class LeasedDirectory implements StreamDirectory {

    private static final Logger log = LoggerFactory.getLogger(LeasedDirectory.class);

    private static final class Registration {
        final String key;
        final String value;
        volatile boolean held;
        boolean busy;
        boolean waitingLogged;

        Registration(String key, String value) {
            this.key = key;
            this.value = value;
        }
    }

    private final LeaseStore store;
    private final EventLoop loop;
    private final String prefix;
    private final Duration lease;
    private final Runnable onClose;
    private final Map<String, Registration> registrations = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> refresher;

    /**
     * @param loop    the event loop every registration's state is kept on
     * @param onClose run last by {@link #close()}, after the store is closed
     */
    LeasedDirectory(LeaseStore store, EventLoop loop, String prefix, Duration lease, Runnable onClose) {
        this.store = store;
        this.loop = loop;
        this.prefix = prefix;
        this.lease = lease;
        this.onClose = onClose;
        long period = Math.max(1, lease.toMillis() / 3);
        this.refresher = loop.scheduleAtFixedRate(this::refreshAll, period, period, TimeUnit.MILLISECONDS);
        store.onUp(() -> loop.execute(this::refreshAll));
    }

    /** The key of {@code app/name}: {@code PREFIX stream:APP/NAME}. */
    String key(String app, String name) {
        return prefix + "stream:" + app + "/" + name;
    }

    @Override
    public CompletionStage<Boolean> register(String app, String name, URI origin) {
        CompletableFuture<Boolean> taken = new CompletableFuture<>();
        run(taken, () -> {
            Registration registration = new Registration(key(app, name), origin.toString());
            registrations.put(registration.key, registration);
            attempt(registration, taken);
        });
        return taken;
    }

    @Override
    public CompletionStage<Void> release(String app, String name) {
        CompletableFuture<Void> released = new CompletableFuture<>();
        run(released, () -> {
            Registration registration = registrations.remove(key(app, name));
            if (registration == null) {
                released.complete(null);
                return;
            }
            store.release(registration.key, registration.value).whenComplete((ok, failure) -> {
                if (failure != null && registration.held) {
                    log.info("directory: {} not released ({}); its lease expires in {}", registration.key,
                        RedisConnection.reason(failure), lease);
                }
                released.complete(null);
            });
        });
        return released;
    }

    @Override
    public CompletionStage<List<URI>> origins(String app, String name) {
        String key = key(app, name);
        return store.get(key).thenApply(value -> value.flatMap(url -> {
            try {
                return Optional.of(new URI(url));
            } catch (URISyntaxException e) {
                log.warn("directory: {} holds \"{}\", which is not a URL", key, url);
                return Optional.empty();
            }
        }).stream().toList());
    }

    /** Runs {@code task} on the loop; once the directory is closed, fails {@code answer} instead. */
    private void run(CompletableFuture<?> answer, Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException closed) {
            answer.completeExceptionally(new IllegalStateException("the directory is closed"));
        }
    }

    private void refreshAll() {
        registrations.values().forEach(registration -> attempt(registration, null));
    }

    private void attempt(Registration registration, CompletableFuture<Boolean> taken) {
        if (registration.busy) {
            if (taken != null) {
                taken.complete(registration.held);
            }
            return;
        }
        registration.busy = true;
        CompletionStage<Boolean> answer = registration.held
            ? store.refresh(registration.key, registration.value, lease).thenCompose(ours ->
                ours || registrations.get(registration.key) != registration ? CompletableFuture.completedFuture(ours)
                    : store.take(registration.key, registration.value, lease))
            : store.take(registration.key, registration.value, lease);
        answer.whenComplete((ours, failure) -> loop.execute(() -> {
            registration.busy = false;
            boolean now = failure == null && ours;
            boolean current = registrations.get(registration.key) == registration;
            if (current) {
                logChange(registration, now, failure);
            }
            if (failure == null) {
                registration.held = now;
            }
            if (taken != null) {
                taken.complete(now);
            }
        }));
    }

    private void logChange(Registration registration, boolean now, Throwable failure) {
        if (now && registration.waitingLogged) {
            log.info("directory: {} registered as {}", registration.key, registration.value);
            registration.waitingLogged = false;
        } else if (!now && !registration.waitingLogged) {
            String reason = failure != null ? RedisConnection.reason(failure) : "another origin holds it";
            log.warn("directory: {} not registered ({}); retrying every {} ms", registration.key, reason,
                Math.max(1, lease.toMillis() / 3));
            registration.waitingLogged = true;
        }
    }

    @Override
    public DirectorySnapshot snapshot() {
        int held = (int) registrations.values().stream().filter(registration -> registration.held).count();
        return new DirectorySnapshot(store.backend(), store.target(), store.up(), held, registrations.size() - held);
    }

    @Override
    public void close() {
        refresher.cancel(false);
        long timeout = RedisLeaseStore.timeout(lease).toMillis();
        try {
            List<CompletableFuture<Void>> released = loop.submit(() -> {
                List<CompletableFuture<Void>> all = new ArrayList<>();
                registrations.values().forEach(registration ->
                    all.add(store.release(registration.key, registration.value).toCompletableFuture()));
                registrations.clear();
                return all;
            }).get(timeout, TimeUnit.MILLISECONDS);
            CompletableFuture.allOf(released.toArray(CompletableFuture[]::new)).get(timeout, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.info("directory: leases not released at shutdown ({}); they expire in {}",
                RedisConnection.reason(e), lease);
        }
        store.close();
        onClose.run();
    }
}
