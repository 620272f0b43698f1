package onair.live;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.internal.PlatformDependent;

import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The players of one event loop that have frames to write. Publishers on any thread add players here, and the event
 * loop gets one task per batch that drains all of them, instead of one task per player and frame.
 */
final class PendingDrains {

    private static final FastThreadLocal<PendingDrains> OF_LOOP = new FastThreadLocal<>();

    private final EventLoop loop;
    private final Queue<RtmpPlayer> players = PlatformDependent.newMpscQueue();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drainAll = this::drainAll;

    private PendingDrains(EventLoop loop) {
        this.loop = loop;
    }

    /** The pending drains of {@code loop}; called on that loop. */
    static PendingDrains of(EventLoop loop) {
        if (!loop.inEventLoop()) {
            throw new IllegalStateException("not on " + loop);
        }
        PendingDrains drains = OF_LOOP.get();
        if (drains == null) {
            drains = new PendingDrains(loop);
            OF_LOOP.set(drains);
        }
        return drains;
    }

    /** Has {@code player} drained in this loop's next batch. */
    void add(RtmpPlayer player) {
        players.add(player);
        if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
            loop.execute(drainAll);
        }
    }

    private void drainAll() {
        scheduled.set(false);
        RtmpPlayer player;
        while ((player = players.poll()) != null) {
            player.drain();
        }
    }
}
