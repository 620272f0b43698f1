package onair.lifecycle;

import onair.config.ApplicationConfig;

/**
 * A client asks to play {@code name} in {@code app}, with the start, duration and reset of RTMP's {@code play}
 * command (RTMP 1.0 §7.2.2.1); other protocols send its defaults (-2, -1, false).
 *
 * @param args the play arguments: what followed {@code ?} in the stream name, as sent
 */
public record PlayEvent(ApplicationConfig app, Peer peer, String name, String args, double start, double duration,
        boolean reset) {

    /** A play with RTMP's defaults: live or recorded, to the end, no reset. */
    public static PlayEvent live(ApplicationConfig app, Peer peer, String name, String args) {
        return new PlayEvent(app, peer, name, args, -2, -1, false);
    }
}
