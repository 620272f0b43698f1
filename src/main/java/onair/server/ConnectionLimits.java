package onair.server;

import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code max_connections} and {@code max_connections_per_address} limits of one {@code server} block: counts its
 * open connections and closes a new one over either limit at accept time, with one log line.
 */
final class ConnectionLimits {

    private static final Logger log = LoggerFactory.getLogger(ConnectionLimits.class);

    private final int maxConnections;
    private final int maxPerAddress;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

    /** Limits of 0 mean no limit. */
    ConnectionLimits(int maxConnections, int maxPerAddress) {
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
    }

    /** Counts {@code channel} until it closes and returns true, or closes it and returns false when over a limit. */
    boolean admit(Channel channel) {
        SocketAddress remote = channel.remoteAddress();
        if (open.incrementAndGet() > maxConnections && maxConnections > 0) {
            open.decrementAndGet();
            return refuse(channel, remote, "max_connections " + maxConnections + " reached");
        }
        InetAddress address = maxPerAddress > 0 && remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
        if (address != null && !countAddress(address)) {
            open.decrementAndGet();
            return refuse(channel, remote, "max_connections_per_address " + maxPerAddress + " reached for "
                + address.getHostAddress());
        }
        channel.closeFuture().addListener(closed -> {
            open.decrementAndGet();
            if (address != null) {
                perAddress.computeIfPresent(address, (a, count) -> count == 1 ? null : count - 1);
            }
        });
        return true;
    }

    private boolean countAddress(InetAddress address) {
        boolean[] admitted = {false};
        perAddress.compute(address, (a, count) -> {
            int current = count == null ? 0 : count;
            if (current >= maxPerAddress) {
                return count;
            }
            admitted[0] = true;
            return current + 1;
        });
        return admitted[0];
    }

    private static boolean refuse(Channel channel, SocketAddress remote, String reason) {
        log.info("[refused {}] closed: {}", remote, reason);
        channel.close();
        return false;
    }

}
