package onair.lifecycle;

import onair.config.ApplicationConfig;

/**
 * A client asks to play {@code name} in {@code app}, with the start, duration and reset of RTMP's {@code play}
 * command (RTMP 1.0 §7.2.2.1); HTTP-FLV plays send 0, 0 and false, as nginx-http-flv-module does.
 *
 * @param args the play arguments: what followed {@code ?} in the stream name, as sent
 */
public record PlayEvent(ApplicationConfig app, Peer peer, String name, String args, double start, double duration,
        boolean reset) {
}
