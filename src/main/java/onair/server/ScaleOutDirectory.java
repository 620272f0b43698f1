package onair.server;

import onair.config.DirectoryConfig;
import onair.config.Listen;
import onair.config.ServerConfig;
import onair.directory.DirectorySnapshot;
import onair.directory.OriginRegistration;
import onair.directory.StreamDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The scale-out directory of a running server: the {@link StreamDirectory} its configuration names, opened once the
 * listeners are bound, and the {@link OriginRegistration} that registers its published streams there under
 * {@code directory_advertise} (by default its first RTMP listen address). A reload that changes the directory closes
 * the old one, then opens the new one and registers the live streams in it.
 */
final class ScaleOutDirectory implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ScaleOutDirectory.class);

    private final OriginRegistration registration = new OriginRegistration();
    private volatile DirectoryConfig config = DirectoryConfig.OFF;
    private volatile StreamDirectory directory = StreamDirectory.of(DirectoryConfig.OFF);

    /** The lifecycle listener that registers published streams. */
    OriginRegistration registration() {
        return registration;
    }

    StreamDirectory directory() {
        return directory;
    }

    /** The directory's state for statistics; null without a {@code directory}. */
    DirectorySnapshot snapshot() {
        StreamDirectory current = directory;
        return config.active() ? current.snapshot() : null;
    }

    /** Opens the directory of {@code next} unless it is the one in use; {@code rtmp} are the bound RTMP addresses. */
    synchronized void apply(ServerConfig next, List<InetSocketAddress> rtmp) {
        if (next.directory().equals(config)) {
            return;
        }
        directory.close();
        config = next.directory();
        directory = StreamDirectory.of(config);
        URI base = config.registers() ? advertised(next, rtmp) : null;
        registration.use(directory, base);
        if (config.active()) {
            log.info("directory {}: {}", directory.snapshot().target(),
                base == null ? "looking streams up only" : "registering streams as " + base);
        }
    }

    private URI advertised(ServerConfig next, List<InetSocketAddress> rtmp) {
        if (config.advertise() != null) {
            return config.advertise();
        }
        if (rtmp.isEmpty()) {
            return null;
        }
        Listen listen = next.rtmpServers().getFirst().listens().getFirst();
        InetSocketAddress bound = rtmp.getFirst();
        String host = listen.host() != null && !bound.getAddress().isAnyLocalAddress() ? listen.host() : localHost();
        return URI.create((listen.ssl() ? "rtmps" : "rtmp") + "://" + (host.contains(":") ? "[" + host + "]" : host)
            + ":" + bound.getPort());
    }

    private static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            log.warn("directory: no host name for this machine ({}); advertising 127.0.0.1, set directory_advertise",
                e.getMessage());
            return "127.0.0.1";
        }
    }

    @Override
    public synchronized void close() {
        directory.close();
    }
}
