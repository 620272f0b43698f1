package onair.relay;

import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.ScheduledFuture;
import onair.stream.LiveStream;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One push target of one published stream (a {@code push} line, or one started through the control API): a
 * {@link RtmpRelay} with its own bounded queue, connected again after each failure with {@link Backoff exponential
 * backoff} until the stream ends or the target is stopped, and the state statistics show. Runs on one event loop.
 */
public final class PushTarget implements RtmpRelay.Events {

    private final Remote remote;
    private final LiveStream local;
    private final EventLoop loop;
    private final RelayNet net;
    private final SslContext ssl;
    private final int chunkSize;
    private final Backoff backoff;
    private final String source;
    private volatile RelayState state = RelayState.CONNECTING;
    private volatile String lastError;
    private volatile long reconnects;
    private volatile long bytesBefore;
    private volatile long droppedBefore;
    private volatile RtmpRelay relay;
    private boolean stopped;
    private ScheduledFuture<?> retry;

    /**
     * @param source the configured URL or the one the control API was given, to find the target again by
     */
    PushTarget(String source, Remote remote, LiveStream local, RelayNet net, SslContext ssl, int chunkSize,
            Duration reconnect) {
        this.source = source;
        this.remote = remote;
        this.local = local;
        this.net = net;
        this.loop = net.group().next();
        this.ssl = ssl;
        this.chunkSize = chunkSize;
        this.backoff = new Backoff(reconnect);
    }

    /** Connects now. */
    void start() {
        loop.execute(this::connect);
    }

    /** Ends the current connection and any further attempt, from any thread. */
    void stop() {
        loop.execute(() -> {
            stopped = true;
            state = RelayState.STOPPED;
            if (retry != null) {
                retry.cancel(false);
            }
            RtmpRelay current = relay;
            if (current != null) {
                current.stop("push target stopped");
            }
        });
    }

    /** Whether this target was made for {@code url}. */
    boolean isFor(String url) {
        return source.equals(url);
    }

    private void connect() {
        if (stopped) {
            return;
        }
        if (!local.isLive()) {
            state = RelayState.STOPPED;
            return;
        }
        state = RelayState.CONNECTING;
        RtmpRelay created = RtmpRelay.push(remote, local, loop, net.channelType(), remote.tls() ? ssl : null,
            chunkSize, this);
        relay = created.ended() ? null : created;
    }

    @Override
    public void started(RtmpRelay started) {
        state = RelayState.LIVE;
        backoff.reset();
    }

    @Override
    public void ended(RtmpRelay ended, String reason) {
        bytesBefore += ended.bytesOut();
        droppedBefore += ended.droppedFrames();
        relay = null;
        if (stopped || !local.isLive()) {
            state = RelayState.STOPPED;
            return;
        }
        lastError = reason;
        state = RelayState.BACKING_OFF;
        reconnects++;
        retry = loop.schedule(this::connect, backoff.next(), TimeUnit.MILLISECONDS);
    }

    public RelayState state() {
        return state;
    }

    public RelaySnapshot snapshot() {
        RtmpRelay current = relay;
        long bytes = bytesBefore + (current == null ? 0 : current.bytesOut());
        long dropped = droppedBefore + (current == null ? 0 : current.droppedFrames());
        return new RelaySnapshot("push", remote.shown(), state.label(), lastError, bytes, dropped, reconnects);
    }
}
