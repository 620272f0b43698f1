package onair.relay;

import onair.config.ApplicationConfig;

import java.util.List;

/**
 * Where a player's stream that is not live here is pulled from: the remotes to try, in order, each tried when the
 * one before cannot connect or is refused. The configured {@code pull} lines are one answer; a directory of origins
 * is another.
 */
@FunctionalInterface
public interface PullSources {

    /** The application's {@code pull} lines (not the {@code static} ones) that apply to the stream's name. */
    PullSources CONFIGURED = (app, name) -> app.relay().pulls().stream()
        .filter(line -> !line.isStatic() && line.appliesTo(name))
        .map(line -> Remote.of(line, app.name(), name, app.relay().relayBuffer()))
        .toList();

    /** The remotes to pull stream {@code name} of {@code app} from, in the order to try them; empty for none. */
    List<Remote> sources(ApplicationConfig app, String name);
}
