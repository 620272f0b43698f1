package onair.lifecycle;

import io.netty.util.NetUtil;
import onair.stream.Client;

import java.net.InetAddress;

/**
 * The connection a callback is about, as nginx-rtmp describes it (reference §8.1): its id, remote address and the
 * properties of its {@code connect} command, with the {@code ?args} split off the app name.
 *
 * @param clientId  the connection number shown in logs ({@code [conn N ...]})
 * @param address   the remote IP address; null when the connection has none
 * @param app       the application name as connected to, without {@code ?args}
 * @param args      the connect arguments: what followed {@code ?} in the app, as sent
 * @param epoch     the server's handshake timestamp for this connection, in ms
 */
public record Peer(long clientId, InetAddress address, String app, String flashver, String swfurl, String tcurl,
        String pageurl, String args, long epoch) {

    /** The peer of a connection the hub knows as {@code client}, without its connect-time query and epoch. */
    public static Peer of(Client client) {
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(client.address());
        return new Peer(client.id(), address, client.app(), client.flashver(), client.swfurl(), client.tcurl(),
            client.pageurl(), "", 0);
    }

    /** The same connection moved to another application by an {@code on_connect} redirect. */
    public Peer withApp(String newApp) {
        return new Peer(clientId, address, newApp, flashver, swfurl, tcurl, pageurl, args, epoch);
    }

    /** The {@code addr} argument: the address as text, empty without one. */
    public String addr() {
        return address == null ? "" : address.getHostAddress();
    }
}
