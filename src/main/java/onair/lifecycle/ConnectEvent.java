package onair.lifecycle;

import onair.config.AdmissionConfig;

/**
 * A client's {@code connect} (or its disconnect), before it is bound to an application.
 *
 * @param server the admission settings of the server block the client connected to
 */
public record ConnectEvent(AdmissionConfig server, Peer peer) {
}
