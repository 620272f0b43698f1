package onair.lifecycle;

import onair.config.ApplicationConfig;

/**
 * A publish or play has ended.
 *
 * @param bytesIn  bytes the connection has received so far
 * @param bytesOut bytes the connection has sent so far
 */
public record DoneEvent(ApplicationConfig app, Peer peer, String name, String args, long bytesIn, long bytesOut) {
}
