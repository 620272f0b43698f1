package onair.lifecycle;

import onair.config.ApplicationConfig;

/**
 * A client asks to publish {@code name} in {@code app}.
 *
 * @param args the publish arguments: what followed {@code ?} in the stream name, as sent
 * @param type the publish type ({@code live}, {@code record}, {@code append})
 */
public record PublishEvent(ApplicationConfig app, Peer peer, String name, String args, String type) {
}
