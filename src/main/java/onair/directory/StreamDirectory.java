package onair.directory;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import onair.config.DirectoryConfig;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where origins register the streams published to them and edges find the origin that holds a stream. Every call
 * returns at once and its answer completes within a bounded time, so no event loop waits on the back-end; a back-end
 * that is down fails lookups and delays registrations, never a local publish.
 */
public interface StreamDirectory extends AutoCloseable {

    /**
     * Registers {@code origin} (an {@code rtmp://host:port/app} URL) as the holder of {@code app/name}, with a lease
     * kept while the stream is published: refreshed periodically, retried while the back-end is down or another
     * origin holds it, and expiring by itself if this process dies.
     *
     * @return whether the first attempt took the lease
     */
    CompletionStage<Boolean> register(String app, String name, URI origin);

    /** Ends the registration of {@code app/name}, giving up its lease if this origin holds it. */
    CompletionStage<Void> release(String app, String name);

    /** The {@code rtmp://host:port/app} URLs of the origins that may hold {@code app/name}, in the order to try. */
    CompletionStage<List<URI>> origins(String app, String name);

    /** The {@code rtmp://host:port/app} URL of the origin that holds {@code app/name}, empty when none does. */
    default CompletionStage<Optional<URI>> lookup(String app, String name) {
        return origins(app, name).thenApply(origins -> origins.stream().findFirst());
    }

    /** The back-end's state and the leases this process holds, for statistics. */
    DirectorySnapshot snapshot();

    /** Gives up the leases held and closes the back-end. */
    @Override
    void close();

    /** The {@code rtmp://host:port/app} URL of application {@code app} on the origin {@code base}. */
    static URI application(URI base, String app) {
        try {
            return new URI(base.getScheme(), null, base.getHost(), base.getPort(), "/" + app, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("no URL for application \"" + app + "\" on " + base, e);
        }
    }

    /** The directory {@code config} describes; one without origins when it is off. */
    static StreamDirectory of(DirectoryConfig config) {
        return switch (config.backend()) {
            case OFF -> new StaticDirectory(List.of());
            case STATIC -> new StaticDirectory(config.origins());
            case REDIS -> {
                MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
                yield new LeasedDirectory(RedisLeaseStore.start(config.redis(), group.next()), group.next(),
                    config.redis().prefix(), config.redis().lease(), group::shutdownGracefully);
            }
        };
    }
}
