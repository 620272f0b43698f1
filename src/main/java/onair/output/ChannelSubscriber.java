package onair.output;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundInvoker;
import onair.media.MediaFrame;
import onair.stream.FrameQueue;

/**
 * A subscriber that sends to one Netty channel. Frames reach it on the publisher's thread and wait in its bounded
 * {@link FrameQueue}, which drops and counts what a slow reader loses; the channel's event loop writes each one as the
 * message {@link #encode} makes of it while the channel is writable, then flushes. Given a handler's context, it
 * writes from there, so the handlers after it in the pipeline are not traversed for every frame.
 */
public abstract class ChannelSubscriber extends QueuedOutput {

    private final Channel channel;
    private final ChannelOutboundInvoker out;
    private final Runnable drainTask = this::drain;
    private long blockedSinceNanos;

    protected ChannelSubscriber(Channel channel, FrameQueue queue) {
        super(queue);
        this.channel = channel;
        this.out = channel;
    }

    /** Writes frames from {@code writeFrom}: they pass only the handlers before it, towards the socket. */
    protected ChannelSubscriber(ChannelHandlerContext writeFrom, FrameQueue queue) {
        super(queue);
        this.channel = writeFrom.channel();
        this.out = writeFrom;
    }

    protected final Channel channel() {
        return channel;
    }

    @Override
    final void schedule() {
        channel.eventLoop().execute(drainTask);
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
