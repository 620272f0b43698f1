package onair.directory;

import onair.lifecycle.DoneEvent;
import onair.lifecycle.PublishEvent;
import onair.lifecycle.StreamListener;

import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An origin's side of the directory: registers each stream as its publish starts, under this server's advertised
 * URL, and releases it when the publish is done. Inert until {@link #use} names a directory and a URL.
 */
public final class OriginRegistration implements StreamListener {

    private record Target(StreamDirectory directory, URI base) {}

    private record Stream(String app, String name) {}

    private final Set<Stream> published = ConcurrentHashMap.newKeySet();
    private volatile Target target;

    /**
     * Registers streams in {@code directory} under {@code base} ({@code rtmp://host:port}; null to only release), and
     * registers there the streams already published.
     */
    public synchronized void use(StreamDirectory directory, URI base) {
        target = new Target(directory, base);
        if (base != null) {
            published.forEach(stream -> register(target, stream.app(), stream.name()));
        }
    }

    /** The {@code rtmp://host:port} streams are registered under; null when this server does not register. */
    public URI advertised() {
        Target current = target;
        return current == null ? null : current.base();
    }

    @Override
    public void onPublishStarted(PublishEvent event) {
        String app = event.app().name();
        published.add(new Stream(app, event.name()));
        Target current = target;
        if (current != null && current.base() != null) {
            register(current, app, event.name());
        }
    }

    @Override
    public void onPublishDone(DoneEvent event) {
        published.remove(new Stream(event.app().name(), event.name()));
        Target current = target;
        if (current != null) {
            current.directory().release(event.app().name(), event.name());
        }
    }

    private static void register(Target target, String app, String name) {
        target.directory().register(app, name, StreamDirectory.application(target.base(), app));
    }
}
