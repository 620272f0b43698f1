package onair.relay;

import onair.config.ApplicationConfig;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where a player's stream that is not live here is pulled from: the remotes to try, in order, each tried when the
 * one before cannot connect or is refused. The configured {@code pull} lines are one answer; a directory of origins
 * is another, answered asynchronously.
 */
public interface PullSources {

    /** The application's {@code pull} lines (not the {@code static} ones) that apply to the stream's name. */
    PullSources CONFIGURED = new PullSources() {
        @Override
        public boolean pulls(ApplicationConfig app, String name) {
            return !configured(app, name).isEmpty();
        }

        @Override
        public CompletionStage<List<Remote>> sources(ApplicationConfig app, String name) {
            return CompletableFuture.completedFuture(configured(app, name));
        }
    };

    /**
     * Whether a player of stream {@code name} of {@code app} that is not live here starts a pull, which then waits
     * for {@link #sources} to answer remotes for as long as a player is left.
     */
    boolean pulls(ApplicationConfig app, String name);

    /**
     * The remotes to pull stream {@code name} of {@code app} from, in the order to try them; empty for none now. It
     * may complete on any thread, and never waits on the caller's.
     */
    CompletionStage<List<Remote>> sources(ApplicationConfig app, String name);

    /** The application's {@code pull} lines (not the {@code static} ones) that apply to {@code name}, as remotes. */
    static List<Remote> configured(ApplicationConfig app, String name) {
        return app.relay().pulls().stream()
            .filter(line -> !line.isStatic() && line.appliesTo(name))
            .map(line -> Remote.of(line, app.name(), name, app.relay().relayBuffer()))
            .toList();
    }
}
