package onair.notify;

import onair.config.AccessRule;
import onair.config.AdmissionConfig;
import onair.config.AdmissionConfig.Callback;
import onair.config.ApplicationConfig;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether connects, publishes and plays go on, in nginx-rtmp's order: access rules (reference §2), Onair's
 * publish token ({@link PublishToken}), then the {@code on_connect}/{@code on_publish}/{@code on_play} callback
 * (§8.3); counts each application's connections against its {@code max_connections}; and sends the
 * fire-and-forget callbacks ({@code on_*_done}, {@code on_disconnect}, {@code on_record_done}) and {@code on_update}.
 * One per server process; every decision completes off the caller's thread unless it needed no HTTP call.
 */
public final class Admission implements AutoCloseable {

    private final Notifier notifier = new Notifier();
    private final ConcurrentHashMap<ApplicationConfig, Integer> connections = new ConcurrentHashMap<>();

    /** {@code on_connect} of the server: call=connect, app, flashver, swfurl, tcurl, pageurl, addr, epoch, args. */
    public CompletableFuture<Decision> connect(AdmissionConfig server, Peer peer) {
        if (server.url(Callback.CONNECT).isEmpty()) {
            return CompletableFuture.completedFuture(Decision.ALLOW);
        }
        Form form = new Form().add("call", "connect").add("app", peer.app()).add("flashver", peer.flashver())
                .add("swfurl", peer.swfurl()).add("tcurl", peer.tcurl()).add("pageurl", peer.pageurl())
                .add("addr", peer.addr()).add("epoch", peer.epoch()).clientArgs(peer.args());
        return notifier.ask(server, Callback.CONNECT, form, false);
    }

    /** {@code on_disconnect} of the server, for a connection that had connected. */
    public void disconnect(AdmissionConfig server, Peer peer) {
        if (server.url(Callback.DISCONNECT).isPresent()) {
            notifier.tell(server, Callback.DISCONNECT, new Form().common(peer).add("call", "disconnect")
                    .add("app", peer.app()).clientArgs(peer.args()));
        }
    }

    /** Counts one more connection to {@code app}, or returns false when it already holds its max_connections. */
    public boolean enter(ApplicationConfig app) {
        int limit = app.admission().maxConnections();
        if (limit <= 0) {
            return true;
        }
        boolean[] admitted = {false};
        connections.compute(app, (a, count) -> {
            int current = count == null ? 0 : count;
            if (current >= limit) {
                return count;
            }
            admitted[0] = true;
            return current + 1;
        });
        return admitted[0];
    }

    /** Uncounts a connection {@link #enter} admitted. */
    public void leave(ApplicationConfig app) {
        if (app.admission().maxConnections() > 0) {
            connections.computeIfPresent(app, (a, count) -> count <= 1 ? null : count - 1);
        }
    }

    /** Access rules, the publish token, then {@code on_publish}: call=publish, name, type, the publish args. */
    public CompletableFuture<Decision> publish(ApplicationConfig app, Peer peer, String name, String args,
            String type) {
        AdmissionConfig config = app.admission();
        if (denied(config, peer, true)) {
            return rejected("publish denied by access rules for " + peer.addr());
        }
        if (config.publishTokenSecret() != null) {
            String problem = PublishToken.problem(config.publishTokenSecret(), app.name(), name, args,
                    Instant.now().getEpochSecond());
            if (problem != null) {
                return rejected(problem);
            }
        }
        if (config.url(Callback.PUBLISH).isEmpty()) {
            return CompletableFuture.completedFuture(Decision.ALLOW);
        }
        return notifier.ask(config, Callback.PUBLISH, new Form().common(peer).add("call", "publish")
                .add("name", name).add("type", type).clientArgs(args), false);
    }

    /**
     * Access rules, then {@code on_play}: call=play, name, start, duration, reset, the play args; start and duration
     * are sent as nginx-rtmp does, as unsigned 32-bit values (-2 becomes 4294967294).
     */
    public CompletableFuture<Decision> play(ApplicationConfig app, Peer peer, String name, String args, double start,
            double duration, boolean reset) {
        AdmissionConfig config = app.admission();
        if (denied(config, peer, false)) {
            return rejected("play denied by access rules for " + peer.addr());
        }
        if (config.url(Callback.PLAY).isEmpty()) {
            return CompletableFuture.completedFuture(Decision.ALLOW);
        }
        return notifier.ask(config, Callback.PLAY, new Form().common(peer).add("call", "play").add("name", name)
                .add("start", (long) start & 0xFFFF_FFFFL).add("duration", (long) duration & 0xFFFF_FFFFL)
                .add("reset", reset ? 1 : 0).clientArgs(args), false);
    }

    /** {@code on_publish_done} or {@code on_play_done}, then {@code on_done}: name, bytes_in, bytes_out, args. */
    public void done(ApplicationConfig app, Peer peer, boolean publishing, String name, String args, long bytesIn,
            long bytesOut) {
        AdmissionConfig config = app.admission();
        Callback specific = publishing ? Callback.PUBLISH_DONE : Callback.PLAY_DONE;
        for (Callback callback : new Callback[] {specific, Callback.DONE}) {
            if (config.url(callback).isPresent()) {
                notifier.tell(config, callback, new Form().common(peer).add("call", callback.call()).add("name", name)
                        .add("bytes_in", bytesIn).add("bytes_out", bytesOut).clientArgs(args));
            }
        }
    }

    /** Whether {@code app} wants {@link #update} calls: {@code on_update} set and a non-zero period. */
    public static boolean updates(ApplicationConfig app) {
        return app.admission().url(Callback.UPDATE).isPresent() && !app.admission().updateTimeout().isZero();
    }

    /**
     * {@code on_update}: call=update_publish or update_play, time (seconds since the publish or play began), timestamp
     * (the stream's current RTMP timestamp, ms), name, args. Rejects what {@code notify_update_strict} does not accept.
     */
    public CompletableFuture<Decision> update(ApplicationConfig app, Peer peer, boolean publishing, String name,
            String args, long seconds, long timestamp) {
        AdmissionConfig config = app.admission();
        return notifier.ask(config, Callback.UPDATE, new Form().common(peer)
                .add("call", publishing ? "update_publish" : "update_play").add("time", seconds)
                .add("timestamp", timestamp & 0xFFFF_FFFFL).add("name", name).clientArgs(args), config.updateStrict());
    }

    /**
     * {@code on_record_done}, for the recorder: call=record_done, recorder (empty for the application's own), name,
     * path, the publish args; the common arguments describe the publisher when {@code publisher} is not null.
     */
    public void recordDone(AdmissionConfig config, Peer publisher, String recorder, String name, String args,
            Path path) {
        if (config.url(Callback.RECORD_DONE).isEmpty()) {
            return;
        }
        Form form = publisher == null ? new Form() : new Form().common(publisher);
        notifier.tell(config, Callback.RECORD_DONE, form.add("call", "record_done").add("recorder", recorder)
                .add("name", name).add("path", path).clientArgs(args));
    }

    private static boolean denied(AdmissionConfig config, Peer peer, boolean publishing) {
        for (AccessRule rule : config.access()) {
            if (rule.matches(peer.address(), publishing)) {
                return !rule.allow();
            }
        }
        return false;
    }

    private static CompletableFuture<Decision> rejected(String reason) {
        return CompletableFuture.completedFuture(Decision.reject(reason));
    }

    @Override
    public void close() {
        notifier.close();
    }
}
