package onair.lifecycle;

import onair.config.ApplicationConfig;
import onair.config.RecordConfig;

import java.nio.file.Path;

/**
 * A recorder has opened the file {@code path} of the stream {@code name} (the fork's {@code record_started} event);
 * a {@link RecordDoneEvent} for the same file follows once it is closed.
 *
 * @param publisher the publishing connection, or null when the stream had none (an internal source)
 * @param recorder  the recorder's settings, with its name (empty for the application's own) and its hooks
 * @param args      the publish arguments, empty without a publisher
 */
public record RecordStartedEvent(ApplicationConfig app, Peer publisher, RecordConfig.Recorder recorder, String name,
        String args, Path path) {
}
