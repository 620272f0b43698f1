package onair.httpflv;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import onair.media.MediaFrame;
import onair.output.ChannelSubscriber;
import onair.stream.Client;
import onair.stream.FrameQueue;
import onair.stream.Subscription;

import java.util.function.Function;

/**
 * An HTTP-FLV or WebSocket-FLV viewer as a subscriber of a live stream, like the RTMP player: frames wait in a bounded
 * {@link FrameQueue} (a slow viewer drops to the next keyframe) and its own event loop writes each frame's shared FLV
 * tag while the socket takes them. The publisher leaving ends the response.
 */
final class FlvViewer extends ChannelSubscriber {

    private final Function<ByteBuf, Object> wrap;
    private final Runnable end;
    private boolean ended;
    private Subscription subscription;
    private Client client;

    /**
     * @param wrap turns FLV bytes into the message the channel's pipeline writes (HTTP chunk or WebSocket frame)
     * @param end  ends the response on the channel's event loop, once, after the last frame
     */
    FlvViewer(Channel channel, FrameQueue queue, Function<ByteBuf, Object> wrap, Runnable end) {
        super(channel, queue);
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
    protected Object encode(MediaFrame frame) {
        try {
            return wrap.apply(FlvTag.of(frame).retainedDuplicate());
        } finally {
            frame.release();
        }
    }

    @Override
    public void onPublishStart() {
    }

    @Override
    public void onPublishStop() {
        channel().eventLoop().execute(() -> {
            drain();
            finish();
        });
    }

    /** Stops taking frames and ends the response; runs on the channel's event loop. */
    void finish() {
        if (!ended) {
            close();
            end.run();
        }
    }

    /** Releases what is queued and detaches; for a closed connection. */
    @Override
    public void close() {
        ended = true;
        super.close();
        if (subscription != null) {
            subscription.close();
        }
    }
}
