package onair.server;

import onair.config.RecordConfig;
import onair.config.ServerConfig;
import onair.lifecycle.Peer;
import onair.lifecycle.RecordDoneEvent;
import onair.lifecycle.RecordStartedEvent;
import onair.lifecycle.StreamListener;
import onair.record.RecordListener;
import onair.stream.Client;
import onair.stream.StreamKey;

import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Tells the lifecycle of each recording file opened and closed, in the stream's application, with the recorder's
 * settings and the publisher's connection when it had one.
 */
final class RecordEvents implements RecordListener {

    private final Supplier<ServerConfig> config;
    private final StreamListener lifecycle;

    RecordEvents(Supplier<ServerConfig> config, StreamListener lifecycle) {
        this.config = config;
        this.lifecycle = lifecycle;
    }

    @Override
    public void recordStarted(StreamKey stream, RecordConfig.Recorder recorder, Path file, Client publisher) {
        config.get().application(stream.app(), publisher).ifPresent(app -> lifecycle.onRecordStarted(
            new RecordStartedEvent(app, peer(publisher), recorder, stream.name(), args(publisher), file)));
    }

    @Override
    public void recordDone(StreamKey stream, RecordConfig.Recorder recorder, Path file, Client publisher) {
        config.get().application(stream.app(), publisher).ifPresent(app -> lifecycle.onRecordDone(
            new RecordDoneEvent(app, peer(publisher), recorder, stream.name(), args(publisher), file)));
    }

    private static Peer peer(Client publisher) {
        return publisher == null ? null : Peer.of(publisher);
    }

    private static String args(Client publisher) {
        return publisher == null ? "" : publisher.args();
    }
}
