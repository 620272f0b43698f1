package onair.server;

import onair.config.ApplicationConfig;
import onair.directory.StreamDirectory;
import onair.relay.PullSources;
import onair.relay.Remote;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The pull sources of an edge ({@code directory_pull on}): the origins the scale-out directory answers for the
 * stream, in its order, then the application's {@code pull} lines. Origin host names are resolved on a thread of
 * their own (one, at most 64 waiting), never on an event loop.
 */
final class DirectorySources implements PullSources {

    private static final Logger log = LoggerFactory.getLogger(DirectorySources.class);
    private static final int QUEUE = 64;

    private final Supplier<StreamDirectory> directory;
    private final ThreadPoolExecutor resolver = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(QUEUE), task -> {
            Thread thread = new Thread(task, "onair-directory-resolve");
            thread.setDaemon(true);
            return thread;
        });

    DirectorySources(Supplier<StreamDirectory> directory) {
        this.directory = directory;
        resolver.allowCoreThreadTimeOut(true);
    }

    @Override
    public boolean pulls(ApplicationConfig app, String name) {
        return app.relay().directoryPull() || CONFIGURED.pulls(app, name);
    }

    @Override
    public CompletionStage<List<Remote>> sources(ApplicationConfig app, String name) {
        List<Remote> configured = PullSources.configured(app, name);
        if (!app.relay().directoryPull()) {
            return CompletableFuture.completedFuture(configured);
        }
        return directory.get().origins(app.name(), name)
            .thenApplyAsync(origins -> {
                List<Remote> all = new ArrayList<>();
                for (URI origin : origins) {
                    remote(origin, app, name).ifPresent(all::add);
                }
                all.addAll(configured);
                return List.copyOf(all);
            }, resolver)
            .exceptionally(failure -> {
                if (configured.isEmpty()) {
                    throw failure instanceof CompletionException e ? e : new CompletionException(failure);
                }
                return configured;
            });
    }

    private static Optional<Remote> remote(URI origin, ApplicationConfig app, String name) {
        boolean tls = "rtmps".equalsIgnoreCase(origin.getScheme());
        int port = origin.getPort() >= 0 ? origin.getPort() : tls ? 443 : 1935;
        String host = origin.getHost().startsWith("[") ? origin.getHost().substring(1, origin.getHost().length() - 1)
            : origin.getHost();
        String remoteApp = origin.getPath() == null || origin.getPath().length() <= 1 ? app.name()
            : origin.getPath().substring(1);
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            log.warn("[relay pull {}/{}] skipping origin {}: cannot resolve {}", app.name(), name, origin, host);
            return Optional.empty();
        }
        String base = (tls ? "rtmps://" : "rtmp://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + port
            + "/" + remoteApp;
        return Optional.of(new Remote(base, host, new InetSocketAddress(address, port), tls, remoteApp, name, base,
            null, null, Remote.FLASH_VERSION, -2, -1, app.relay().relayBuffer()));
    }
}
