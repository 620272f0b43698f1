package onair.notify;

import onair.config.AdmissionConfig;
import onair.config.ApplicationConfig;
import onair.config.AdmissionConfig.Callback;
import onair.lifecycle.ConnectEvent;
import onair.lifecycle.Decision;
import onair.lifecycle.DoneEvent;
import onair.lifecycle.Peer;
import onair.lifecycle.PlayEvent;
import onair.lifecycle.PublishEvent;
import onair.lifecycle.RecordDoneEvent;
import onair.lifecycle.RecordStartedEvent;
import onair.lifecycle.StreamListener;
import onair.lifecycle.UpdateEvent;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.CompletionStage;

/**
 * nginx-rtmp's HTTP callbacks (reference §8.3) with its arguments: the deciding {@code on_connect},
 * {@code on_publish}, {@code on_play} and {@code on_update}, and the fire-and-forget {@code on_*_done},
 * {@code on_disconnect}, {@code on_record_started} and {@code on_record_done}. A decision that needs an HTTP call
 * completes off the caller's thread.
 */
public final class Callbacks implements StreamListener, AutoCloseable {

    private final Notifier notifier = new Notifier();

    /** call=connect, app, flashver, swfurl, tcurl, pageurl, addr, epoch, the connect args. */
    @Override
    public CompletionStage<Decision> onConnect(ConnectEvent event) {
        AdmissionConfig server = event.server();
        if (server.url(Callback.CONNECT).isEmpty()) {
            return ALLOW;
        }
        Peer peer = event.peer();
        Form form = new Form().add("call", "connect").add("app", peer.app()).add("flashver", peer.flashver())
                .add("swfurl", peer.swfurl()).add("tcurl", peer.tcurl()).add("pageurl", peer.pageurl())
                .add("addr", peer.addr()).add("epoch", peer.epoch()).clientArgs(peer.args());
        return notifier.ask(server, Callback.CONNECT, form, false);
    }

    @Override
    public void onDisconnect(ConnectEvent event) {
        AdmissionConfig server = event.server();
        Peer peer = event.peer();
        if (server.url(Callback.DISCONNECT).isPresent()) {
            notifier.tell(server, Callback.DISCONNECT, new Form().common(peer).add("call", "disconnect")
                    .add("app", peer.app()).clientArgs(peer.args()));
        }
    }

    /** call=publish, name, type, the publish args. */
    @Override
    public CompletionStage<Decision> onPublish(PublishEvent event) {
        AdmissionConfig config = event.app().admission();
        if (config.url(Callback.PUBLISH).isEmpty()) {
            return ALLOW;
        }
        return notifier.ask(config, Callback.PUBLISH, new Form().common(event.peer()).add("call", "publish")
                .add("name", event.name()).add("type", event.type()).clientArgs(event.args()), false);
    }

    /**
     * call=play, name, start, duration, reset, the play args; start and duration are sent as nginx-rtmp does, as
     * unsigned 32-bit values (-2 becomes 4294967294).
     */
    @Override
    public CompletionStage<Decision> onPlay(PlayEvent event) {
        AdmissionConfig config = event.app().admission();
        if (config.url(Callback.PLAY).isEmpty()) {
            return ALLOW;
        }
        return notifier.ask(config, Callback.PLAY, new Form().common(event.peer()).add("call", "play")
                .add("name", event.name()).add("start", (long) event.start() & 0xFFFF_FFFFL)
                .add("duration", (long) event.duration() & 0xFFFF_FFFFL).add("reset", event.reset() ? 1 : 0)
                .clientArgs(event.args()), false);
    }

    /**
     * call=update_publish or update_play, time (seconds since the publish or play began), timestamp (ms), name, args.
     * Refuses what {@code notify_update_strict} does not accept.
     */
    @Override
    public CompletionStage<Decision> onUpdate(UpdateEvent event) {
        AdmissionConfig config = event.app().admission();
        if (!config.updates()) {
            return ALLOW;
        }
        return notifier.ask(config, Callback.UPDATE, new Form().common(event.peer())
                .add("call", event.publishing() ? "update_publish" : "update_play").add("time", event.seconds())
                .add("timestamp", event.timestamp() & 0xFFFF_FFFFL).add("name", event.name())
                .clientArgs(event.args()), config.updateStrict());
    }

    @Override
    public void onPublishDone(DoneEvent event) {
        done(event, Callback.PUBLISH_DONE);
    }

    @Override
    public void onPlayDone(DoneEvent event) {
        done(event, Callback.PLAY_DONE);
    }

    /** {@code on_publish_done} or {@code on_play_done}, then {@code on_done}: name, bytes_in, bytes_out, args. */
    private void done(DoneEvent event, Callback specific) {
        AdmissionConfig config = event.app().admission();
        for (Callback callback : new Callback[] {specific, Callback.DONE}) {
            if (config.url(callback).isPresent()) {
                notifier.tell(config, callback, new Form().common(event.peer()).add("call", callback.call())
                        .add("name", event.name()).add("bytes_in", event.bytesIn())
                        .add("bytes_out", event.bytesOut()).clientArgs(event.args()));
            }
        }
    }

    /**
     * call=record_started to the recorder's {@code on_record_started} (its own, else its application's), with the
     * arguments of {@code record_done}.
     */
    @Override
    public void onRecordStarted(RecordStartedEvent event) {
        record(event.app(), Callback.RECORD_STARTED, event.recorder().hooks().onRecordStarted(), event.publisher(),
            event.recorder().name(), event.name(), event.path(), event.args());
    }

    /**
     * call=record_done to the recorder's {@code on_record_done} (its own, else its application's): recorder (empty
     * for the application's own), name, path, the publish args; the common arguments describe the publisher when
     * there was one.
     */
    @Override
    public void onRecordDone(RecordDoneEvent event) {
        record(event.app(), Callback.RECORD_DONE, event.recorder().hooks().onRecordDone(), event.publisher(),
            event.recorder().name(), event.name(), event.path(), event.args());
    }

    private void record(ApplicationConfig app, Callback callback, URI url, Peer publisher, String recorder,
            String name, Path path, String args) {
        if (url == null) {
            return;
        }
        Form form = publisher == null ? new Form() : new Form().common(publisher);
        notifier.tell(app.admission(), callback, url, form.add("call", callback.call()).add("recorder", recorder)
                .add("name", name).add("path", path).clientArgs(args));
    }

    @Override
    public void close() {
        notifier.close();
    }
}
