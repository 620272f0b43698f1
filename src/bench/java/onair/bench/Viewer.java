package onair.bench;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.concurrent.TimeUnit;

/**
 * One light player of the load run, whatever its protocol: what it counts (bytes, media messages, payload bytes),
 * the first-frame time, the server-added latency through a {@link SendClock}, its lag, and its throttle. Subclasses
 * parse their protocol in place and call {@link #media} once per complete audio or video message. Runs on one event
 * loop; the volatile fields are read by the generator's thread for progress.
 */
abstract class Viewer extends ChannelInboundHandlerAdapter {

    enum State { CONNECTING, HANDSHAKE, CONNECTING_APP, CREATING_STREAM, PLAY_SENT, PLAYING, FAILED, CLOSED }

    private static final long THROTTLE_BURST_BYTES = 64 << 10;

    private final SendClock clock;
    private final Metrics metrics;
    private final long throttleBytesPerSecond;
    private final long connectNanos;

    ChannelHandlerContext ctx;
    /** When the player asked for the stream: messages sent earlier (the GOP cache) do not count in latency. */
    long playSentNanos;
    /** When the current read started: every message completed by that read was received then. */
    long readNanos;
    volatile State state = State.CONNECTING;
    volatile String failure;
    volatile long bytesIn;
    volatile long lastMediaNanos;
    volatile long firstFrameNanos;
    long videoMessages;
    long audioMessages;
    long mediaPayloadBytes;
    long lastTimestamp = Long.MIN_VALUE;
    long minOffsetMillis = Long.MAX_VALUE;
    long maxLagMillis;

    /** @param throttleBytesPerSecond 0 for a player that reads as fast as it can */
    Viewer(SendClock clock, Metrics metrics, long connectNanos, long throttleBytesPerSecond) {
        this.clock = clock;
        this.metrics = metrics;
        this.connectNanos = connectNanos;
        this.throttleBytesPerSecond = throttleBytesPerSecond;
    }

    boolean throttled() {
        return throttleBytesPerSecond > 0;
    }

    /** Stops reading while this player is ahead of its byte rate (with a 64 KB burst), so the server sees a slow client. */
    void throttle(ChannelHandlerContext ctx) {
        if (!throttled()) {
            return;
        }
        long allowed = (readNanos - connectNanos) * throttleBytesPerSecond / 1_000_000_000L + THROTTLE_BURST_BYTES;
        long ahead = bytesIn - allowed;
        if (ahead > 0 && ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(false);
            ctx.executor().schedule(() -> ctx.channel().config().setAutoRead(true),
                ahead * 1_000_000_000L / throttleBytesPerSecond, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (state != State.FAILED) {
            if (failure == null) {
                failure = "server closed the connection in state " + state;
            }
            state = State.CLOSED;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }

    void fail(String reason) {
        if (failure == null) {
            failure = reason;
        }
        state = State.FAILED;
        if (ctx != null) {
            ctx.close();
        }
    }

    /** Lag at {@code nowNanos}: how much later than its best-aligned moment the player is behind stream time. */
    long lagMillis(long nowNanos) {
        if (lastTimestamp == Long.MIN_VALUE) {
            return 0;
        }
        return Math.max(0, (nowNanos - metrics.epochNanos()) / 1_000_000 - lastTimestamp - minOffsetMillis);
    }

    /**
     * One complete audio (8) or video (9) message of {@code size} payload bytes at stream time {@code timestamp},
     * received at {@link #readNanos}; {@code firstTwoBytes} are the payload's first two bytes (video only).
     */
    void media(int type, int timestamp, int size, int firstTwoBytes) {
        long now = readNanos;
        lastMediaNanos = now;
        mediaPayloadBytes += size;
        long ts = timestamp & 0xFFFFFFFFL;
        long offset = (now - metrics.epochNanos()) / 1_000_000 - ts;
        minOffsetMillis = Math.min(minOffsetMillis, offset);
        maxLagMillis = Math.max(maxLagMillis, offset - minOffsetMillis);
        lastTimestamp = Math.max(lastTimestamp, ts);
        if (state == State.PLAY_SENT) {
            state = State.PLAYING;
        }
        if (type == 9) {
            videoMessages++;
            if (firstFrameNanos == 0 && size >= 2 && isCodedKeyframe(firstTwoBytes)) {
                firstFrameNanos = now;
                metrics.firstFrame().record((now - connectNanos) / 1000);
            }
        } else {
            audioMessages++;
        }
        if (clock != null && !throttled()) {
            long sent = clock.sentNanos(timestamp);
            if (sent != Long.MIN_VALUE && sent >= playSentNanos) {
                metrics.latency().record((now - sent) / 1000);
            }
        }
    }

    /** A keyframe that carries picture data, not a sequence header (FLV §E.4.3.1, Enhanced RTMP v1). */
    static boolean isCodedKeyframe(int firstTwoBytes) {
        int b0 = firstTwoBytes >> 8;
        int b1 = firstTwoBytes & 0xff;
        if (((b0 >> 4) & 0x07) != 1) {
            return false;
        }
        if ((b0 & 0x80) != 0) {
            int packetType = b0 & 0x0f;
            return packetType == 1 || packetType == 3;
        }
        int codec = b0 & 0x0f;
        return !(codec == 7 || codec == 12 || codec == 13) || b1 == 1;
    }
}
