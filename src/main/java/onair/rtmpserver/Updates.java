package onair.rtmpserver;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import onair.config.ApplicationConfig;
import onair.lifecycle.UpdateEvent;
import onair.stream.StreamKey;

import java.util.concurrent.TimeUnit;

/**
 * nginx-rtmp's {@code on_update} (reference §8.4): one period after a publish or play starts, then every period while
 * it lasts, the lifecycle is told of it; a refusal or a failed call closes the connection.
 */
final class Updates {

    private final RtmpSession session;

    Updates(RtmpSession session) {
        this.session = session;
    }

    /** Calls {@code on_update} one period from now, then every period while the stream lasts. */
    void schedule(NetStream stream) {
        ApplicationConfig app = session.app();
        if (!app.admission().updates()) {
            return;
        }
        long period = app.admission().updateTimeout().toMillis();
        stream.update = session.ctx().executor().schedule(() -> update(stream), period, TimeUnit.MILLISECONDS);
    }

    /** Stops the calls for {@code stream}; one already under way is ignored when it answers. */
    void cancel(NetStream stream) {
        if (stream.update != null) {
            stream.update.cancel(false);
            stream.update = null;
        }
    }

    private void update(NetStream stream) {
        ChannelHandlerContext ctx = session.ctx();
        ScheduledFuture<?> current = stream.update;
        UpdateEvent event = switch (stream.state()) {
            case NetStream.Idle idle -> null;
            case NetStream.Publishing publishing -> event(true, publishing.key(), publishing.args(),
                publishing.startNanos(), stream.lastTimestamp());
            case NetStream.Playing playing -> event(false, playing.key(), playing.args(), playing.startNanos(),
                playing.player().lastTimestamp());
            case NetStream.PlayingFile file -> event(false, file.key(), file.args(), file.startNanos(),
                file.file().lastTimestamp());
        };
        if (event == null) {
            return;
        }
        session.lifecycle().onUpdate(event).whenComplete((decision, error) -> ctx.executor().execute(() -> {
            if (stream.update != current || !ctx.channel().isActive()) {
                return;
            }
            if (error == null && decision.allowed()) {
                schedule(stream);
            } else {
                session.close(error == null ? decision.reason() : "on_update failed: " + error);
            }
        }));
    }

    private UpdateEvent event(boolean publishing, StreamKey key, String args, long startNanos, int timestamp) {
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
        return new UpdateEvent(session.app(), session.peer(), publishing, key.name(), args, seconds, timestamp);
    }
}
