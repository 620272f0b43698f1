package onair.relay;

import onair.config.RelayConfig;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Where one relay connects and what it says there: the address (resolved when the configuration loaded, or an IP
 * address of a redirect), TLS for {@code rtmps://}, the properties of {@code connect} and the stream it publishes or
 * plays. {@link #shown} is what logs and statistics print: for configured relays the URL without its stream part,
 * which for a multistream target is a secret key.
 *
 * @param host     the host as written: TLS's server name and the name its certificate must match
 * @param name     the remote stream name (with its {@code ?args}) that is published or played
 * @param start    the {@code play} start of a pull, in seconds (-2: live, else recorded)
 * @param duration the {@code play} duration of a pull, in seconds (-1: all of it)
 * @param buffer   the buffer length a pull asks the remote for ({@code relay_buffer})
 */
public record Remote(String shown, String host, InetSocketAddress address, boolean tls, String app, String name,
        String tcUrl, String pageUrl, String swfUrl, String flashVer, double start, double duration,
        Duration buffer) {

    /** The {@code flashVer} a relay sends unless its line sets one. */
    public static final String FLASH_VERSION = "FMLE/3.0 (compatible; Onair)";

    public Remote {
        Objects.requireNonNull(shown, "shown");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tcUrl, "tcUrl");
        Objects.requireNonNull(flashVer, "flashVer");
        Objects.requireNonNull(buffer, "buffer");
    }

    /** The remote of an {@code rtmp://} callback redirect, shown with its whole URL as before. */
    public static Remote of(RelayTarget target) {
        return new Remote(target.toString(), target.host(), new InetSocketAddress(target.host(), target.port()), false,
            target.app(), target.name(), target.tcUrl(), null, null, FLASH_VERSION, -2, -1, Duration.ofSeconds(1));
    }

    /**
     * The remote of a {@code push} or {@code pull} line for the local stream {@code localApp/localName}: the line's
     * application and stream, else the local ones, as nginx-rtmp's relay does.
     */
    public static Remote of(RelayConfig.Target target, String localApp, String localName, Duration buffer) {
        String app = target.app() == null ? localApp : target.app();
        String name = target.playPath() == null ? localName : target.playPath();
        String tcUrl = target.tcUrl() != null ? target.tcUrl()
            : (target.tls() ? "rtmps://" : "rtmp://") + target.host() + ":" + target.port() + "/" + app;
        double start = target.start() == null ? -2 : target.start();
        double duration = target.stop() == null ? -1 : Math.max(0, target.stop() - Math.max(0, start));
        return new Remote(target.shown(localApp) + "/***", target.host(),
            new InetSocketAddress(target.address(), target.port()), target.tls(), app, name, tcUrl, target.pageUrl(),
            target.swfUrl(), target.flashVer() == null ? FLASH_VERSION : target.flashVer(), start, duration, buffer);
    }

    @Override
    public String toString() {
        return shown;
    }
}
