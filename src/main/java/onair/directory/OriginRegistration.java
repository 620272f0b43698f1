package onair.directory;

import onair.lifecycle.DoneEvent;
import onair.lifecycle.PublishEvent;
import onair.lifecycle.StreamListener;

import java.net.URI;

/**
 * An origin's side of the directory: registers each stream as its publish starts, under this server's advertised
 * URL, and releases it when the publish is done. Inert until {@link #advertise(URI)} names the URL.
 */
public final class OriginRegistration implements StreamListener {

    private final StreamDirectory directory;
    private volatile URI advertised;

    public OriginRegistration(StreamDirectory directory) {
        this.directory = directory;
    }

    /** Starts registering streams under {@code base} ({@code rtmp://host:port}); null stops. */
    public void advertise(URI base) {
        advertised = base;
    }

    /** The {@code rtmp://host:port} streams are registered under; null when this server does not register. */
    public URI advertised() {
        return advertised;
    }

    @Override
    public void onPublishStarted(PublishEvent event) {
        URI base = advertised;
        if (base != null) {
            directory.register(event.app().name(), event.name(), StreamDirectory.application(base, event.app().name()));
        }
    }

    @Override
    public void onPublishDone(DoneEvent event) {
        directory.release(event.app().name(), event.name());
    }
}
