package onair.lifecycle;

import onair.config.ApplicationConfig;

/**
 * A publish or play still going on.
 *
 * @param seconds   since the publish or play began
 * @param timestamp the stream's current RTMP timestamp, ms
 */
public record UpdateEvent(ApplicationConfig app, Peer peer, boolean publishing, String name, String args,
        long seconds, long timestamp) {
}
