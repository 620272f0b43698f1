package onair.lifecycle;

import onair.config.ApplicationConfig;
import onair.config.RecordConfig;

import java.nio.file.Path;

/**
 * A recorder has closed the file {@code path} of the stream {@code name}.
 *
 * @param publisher the publishing connection, or null when the stream had none (an internal source)
 * @param recorder  the recorder's settings, with its name (empty for the application's own) and its hooks
 * @param args      the publish arguments, empty without a publisher
 */
public record RecordDoneEvent(ApplicationConfig app, Peer publisher, RecordConfig.Recorder recorder, String name,
        String args, Path path) {
}
