package onair.rtmpserver;

import onair.config.ApplicationConfig;
import onair.lifecycle.Decision;
import onair.relay.RelayTarget;

/**
 * What a redirecting decision of {@code on_publish} or {@code on_play} means (nginx-rtmp reference §8.3): a new local
 * stream name, or with an {@code rtmp://} location a relay to another server.
 */
final class Redirects {

    private Redirects() {
    }

    /** {@code decision}, or a refusal when it redirects to an invalid relay URL. */
    static Decision checked(Decision decision) {
        try {
            relayTarget(decision);
            return decision;
        } catch (IllegalArgumentException e) {
            return Decision.reject("redirect to an invalid relay URL: " + e.getMessage());
        }
    }

    /**
     * The stream name a publish or play uses: {@code requested}, or the {@code Location} of a redirect (its own
     * {@code ?query} ignored); an {@code rtmp://} relay URL keeps the requested name, or with
     * {@code notify_relay_redirect} takes the hex MD5 of the URL.
     */
    static String admittedName(ApplicationConfig app, Decision decision, String requested) {
        if (decision.verdict() != Decision.Verdict.REDIRECT) {
            return requested;
        }
        if (!isRelay(decision)) {
            return StreamName.parse(decision.location()).key();
        }
        return app.admission().relayRedirect() ? RelayTarget.md5(decision.location()) : requested;
    }

    /** Where an {@code rtmp://} redirect relays to, or null for any other decision. */
    static RelayTarget relayTarget(Decision decision) {
        return isRelay(decision) ? RelayTarget.parse(decision.location()) : null;
    }

    private static boolean isRelay(Decision decision) {
        return decision.verdict() == Decision.Verdict.REDIRECT
            && decision.location().regionMatches(true, 0, "rtmp://", 0, 7);
    }
}
