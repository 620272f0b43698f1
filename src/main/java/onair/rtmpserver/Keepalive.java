package onair.rtmpserver;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import onair.config.ApplicationConfig;
import onair.config.RtmpServerConfig;
import onair.rtmp.message.UserControl;

import java.util.concurrent.TimeUnit;

/**
 * A connection's timers, checked once a second: the connect timeout, nginx-rtmp's {@code ping} and
 * {@code ping_timeout} (RTMP spec §7.1.7 ping request), a player that stopped reading for {@code timeout}, and
 * {@code drop_idle_publisher}. Nothing runs while a TLS handshake is under way.
 */
final class Keepalive {

    private static final long TICK_MILLIS = 1000;

    private final RtmpSession session;
    private long startNanos;
    private long lastReadNanos;
    private long pingSentNanos;
    private boolean tlsHandshaking;
    private ScheduledFuture<?> tick;

    Keepalive(RtmpSession session) {
        this.session = session;
    }

    /** Starts the timers when the connection opens and returns the time it did, in {@link System#nanoTime()}. */
    long start(ChannelHandlerContext ctx) {
        startNanos = lastReadNanos = System.nanoTime();
        tlsHandshaking = ctx.pipeline().get(SslHandler.class) != null;
        tick = ctx.executor().scheduleAtFixedRate(this::onTick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        return startNanos;
    }

    void stop() {
        if (tick != null) {
            tick.cancel(false);
        }
    }

    /** The peer sent something: it is alive, and an outstanding ping is answered. */
    void onRead() {
        lastReadNanos = System.nanoTime();
        pingSentNanos = 0;
    }

    /** The TLS handshake ended: the connect timeout starts from now. */
    void onTlsHandshake() {
        tlsHandshaking = false;
        startNanos = lastReadNanos = System.nanoTime();
    }

    private void onTick() {
        long now = System.nanoTime();
        long idle = now - lastReadNanos;
        if (tlsHandshaking) {
            return;
        }
        RtmpServerConfig config = session.config();
        ApplicationConfig app = session.app();
        if (app == null && now - startNanos > config.timeout().toNanos()) {
            session.close("no connect within timeout " + config.timeout().toMillis() + " ms");
            return;
        }
        long ping = config.ping().toNanos();
        if (ping > 0 && idle > ping) {
            if (pingSentNanos == 0) {
                pingSentNanos = now;
                int time = (int) TimeUnit.NANOSECONDS.toMillis(now - startNanos);
                session.ctx().writeAndFlush(UserControl.pingRequest(time),
                    session.ctx().voidPromise());
            } else if (now - pingSentNanos > config.pingTimeout().toNanos()) {
                session.close("ping timeout");
                return;
            }
        }
        for (NetStream stream : session.streams()) {
            long dropIdle = app.dropIdlePublisher().toNanos();
            RtmpPlayer player = stream.player();
            if (player != null && player.blockedNanos(now) > config.timeout().toNanos()) {
                session.abort("player did not read for " + config.timeout().toMillis() + " ms ("
                    + player.droppedFrames() + " frames dropped)");
                return;
            }
            switch (stream.state()) {
                case NetStream.Publishing publishing when dropIdle > 0 && now - stream.lastMediaNanos() > dropIdle -> {
                    session.close("publisher sent no media for " + app.dropIdlePublisher().toMillis() + " ms");
                    return;
                }
                default -> { }
            }
        }
    }
}
