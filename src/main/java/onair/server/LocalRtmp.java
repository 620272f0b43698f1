package onair.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Whether an {@code rtmp://} URL of an exec command line points back at this server, for the watchdog of
 * {@link onair.exec.OutputWatch}: its host is {@code localhost}, a loopback address or an address of one of this
 * machine's interfaces, and its port (1935 when absent) is one of the server's RTMP ports. Other host names are not
 * resolved, so a child starts without waiting for DNS; an address whose interfaces cannot be listed is not local.
 */
final class LocalRtmp implements Predicate<URI> {

    private static final int DEFAULT_PORT = 1935;
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final Supplier<Set<Integer>> ports;

    /** @param ports the ports the server's RTMP listeners are bound to */
    LocalRtmp(Supplier<Set<Integer>> ports) {
        this.ports = ports;
    }

    @Override
    public boolean test(URI uri) {
        int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
        return ports.get().contains(port) && local(uri.getHost());
    }

    static boolean local(String host) {
        if (host == null) {
            return false;
        }
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!IPV4.matcher(host).matches() && !host.startsWith("[")) {
            return false;
        }
        try {
            InetAddress address = InetAddress.getByName(host);
            return address.isLoopbackAddress() || address.isAnyLocalAddress()
                || NetworkInterface.getByInetAddress(address) != null;
        } catch (IOException e) {
            return false;
        }
    }
}
