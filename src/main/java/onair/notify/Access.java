package onair.notify;

import onair.config.AccessRule;
import onair.config.AdmissionConfig;
import onair.lifecycle.Decision;
import onair.lifecycle.Peer;
import onair.lifecycle.PlayEvent;
import onair.lifecycle.PublishEvent;
import onair.lifecycle.StreamListener;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Who may publish and play: the application's {@code allow}/{@code deny} rules, first match wins (reference §2), then,
 * for publishing, Onair's publish token ({@link PublishToken}). Answers at once.
 */
public final class Access implements StreamListener {

    @Override
    public CompletionStage<Decision> onPublish(PublishEvent event) {
        AdmissionConfig config = event.app().admission();
        if (denied(config, event.peer(), true)) {
            return rejected("publish denied by access rules for " + event.peer().addr());
        }
        if (config.publishTokenSecret() != null) {
            String problem = PublishToken.problem(config.publishTokenSecret(), event.app().name(), event.name(),
                event.args(), Instant.now().getEpochSecond());
            if (problem != null) {
                return rejected(problem);
            }
        }
        return ALLOW;
    }

    @Override
    public CompletionStage<Decision> onPlay(PlayEvent event) {
        if (denied(event.app().admission(), event.peer(), false)) {
            return rejected("play denied by access rules for " + event.peer().addr());
        }
        return ALLOW;
    }

    private static boolean denied(AdmissionConfig config, Peer peer, boolean publishing) {
        for (AccessRule rule : config.access()) {
            if (rule.matches(peer.address(), publishing)) {
                return !rule.allow();
            }
        }
        return false;
    }

    private static CompletionStage<Decision> rejected(String reason) {
        return CompletableFuture.completedFuture(Decision.reject(reason));
    }
}
