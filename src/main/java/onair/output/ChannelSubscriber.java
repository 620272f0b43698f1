package onair.output;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundInvoker;
import onair.media.MediaFrame;
import onair.stream.FrameQueue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A subscriber that sends to one Netty channel. Frames reach it on the publisher's thread and wait in its bounded
 * {@link FrameQueue}, which drops and counts what a slow reader loses; the channel's event loop writes each one as the
 * message {@link #encode} makes of it while the channel is writable, then flushes. Given a handler's context, it
 * writes from there, so the handlers after it in the pipeline are not traversed for every frame. With a merge window,
 * frames arriving while none wait gather for that long and are written together with one flush: fewer, larger writes
 * and one event-loop wake-up per window instead of one per frame (the first frames after subscribing go at once).
 */
public abstract class ChannelSubscriber extends QueuedOutput {

    private final Channel channel;
    private final ChannelOutboundInvoker out;
    private final Runnable drainTask = this::drain;
    private final long mergeNanos;
    private volatile boolean started;
    private long blockedSinceNanos;

    protected ChannelSubscriber(Channel channel, FrameQueue queue) {
        super(queue);
        this.channel = channel;
        this.out = channel;
        this.mergeNanos = 0;
    }

    /**
     * Writes frames from {@code writeFrom}: they pass only the handlers before it, towards the socket; frames gather
     * for {@code mergeWindow} ({@link Duration#ZERO}: none) before they are written.
     */
    protected ChannelSubscriber(ChannelHandlerContext writeFrom, FrameQueue queue, Duration mergeWindow) {
        super(queue);
        this.channel = writeFrom.channel();
        this.out = writeFrom;
        this.mergeNanos = mergeWindow.toNanos();
    }

    protected final Channel channel() {
        return channel;
    }

    @Override
    final void schedule() {
        if (mergeNanos > 0 && started) {
            channel.eventLoop().schedule(drainTask, mergeNanos, TimeUnit.NANOSECONDS);
        } else {
            channel.eventLoop().execute(drainTask);
        }
    }

    /** The message the channel's pipeline writes for {@code frame}; takes ownership of the frame's reference. */
    protected abstract Object encode(MediaFrame frame);

    /** Writes queued frames while the channel takes them, then flushes; runs on the channel's event loop. */
    public final void drain() {
        boolean wrote = false;
        MediaFrame frame;
        while (channel.isWritable() && (frame = queue().poll()) != null) {
            out.write(encode(frame), out.voidPromise());
            wrote = true;
        }
        blockedSinceNanos = queue().size() > 0 ? (blockedSinceNanos == 0 ? System.nanoTime() : blockedSinceNanos) : 0;
        if (wrote) {
            started = true;
            channel.flush();
        }
    }

    /** Nanoseconds this subscriber has had frames waiting on a channel that does not take them, or 0. */
    public final long blockedNanos(long now) {
        return blockedSinceNanos == 0 ? 0 : now - blockedSinceNanos;
    }

    /** Releases what is queued; frames arriving later are released at once. */
    public void close() {
        queue().close();
    }
}
