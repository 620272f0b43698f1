package onair.httpflv;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import onair.media.MediaFrame;
import onair.stream.Client;
import onair.stream.FrameQueue;
import onair.stream.QueuedSubscriber;
import onair.stream.Subscription;

import java.util.function.Function;

/**
 * An HTTP-FLV or WebSocket-FLV viewer as a subscriber of a live stream, modelled on the RTMP player: frames reach it
 * on the publisher's thread and wait in a bounded {@link FrameQueue} (a slow viewer drops to the next keyframe); its
 * own event loop writes each frame's shared FLV tag while the socket takes them. The publisher leaving ends the
 * response.
 */
final class FlvViewer implements QueuedSubscriber {

    private final Channel channel;
    private final FrameQueue queue;
    private final Function<ByteBuf, Object> wrap;
    private final Runnable end;
    private final Runnable drainTask = this::drain;
    private boolean ended;
    private Subscription subscription;
    private Client client;

    /**
     * @param wrap turns FLV bytes into the message the channel's pipeline writes (HTTP chunk or WebSocket frame)
     * @param end  ends the response on the channel's event loop, once, after the last frame
     */
    FlvViewer(Channel channel, FrameQueue queue, Function<ByteBuf, Object> wrap, Runnable end) {
        this.channel = channel;
        this.queue = queue;
        this.wrap = wrap;
        this.end = end;
    }

    /** The viewer's attachment, closed when the response ends; set on the channel's event loop. */
    void subscription(Subscription subscription) {
        this.subscription = subscription;
    }

    void client(Client client) {
        this.client = client;
    }

    @Override
    public Client client() {
        return client;
    }

    @Override
    public void onFrame(MediaFrame frame) {
        if (queue.offer(frame)) {
            channel.eventLoop().execute(drainTask);
        }
    }

    @Override
    public void onPublishStart() {
    }

    @Override
    public void onPublishStop() {
        channel.eventLoop().execute(() -> {
            drain();
            finish();
        });
    }

    @Override
    public FrameQueue queue() {
        return queue;
    }

    /** Writes queued frames while the socket takes them; runs on the channel's event loop. */
    void drain() {
        if (ended) {
            return;
        }
        boolean wrote = false;
        MediaFrame frame;
        while (channel.isWritable() && (frame = queue.poll()) != null) {
            channel.write(wrap.apply(FlvTag.of(frame).retainedDuplicate()), channel.voidPromise());
            frame.release();
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    /** Stops taking frames and ends the response; runs on the channel's event loop. */
    void finish() {
        if (!ended) {
            ended = true;
            queue.close();
            if (subscription != null) {
                subscription.close();
            }
            end.run();
        }
    }

    /** Releases what is queued; for a closed connection. */
    void close() {
        ended = true;
        queue.close();
        if (subscription != null) {
            subscription.close();
        }
    }
}
