package onair.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import onair.stream.Client;

import java.util.Objects;

/**
 * The first handler of a client connection: counts the bytes read from and written to its socket (TLS records
 * included) into its {@link Client}; first in an HTTP/2 stream's pipeline, the stream's DATA bytes. A connection or
 * stream that becomes a client only later, as an HTTP request turning into an HTTP-FLV viewer, names its
 * {@code Client} in a user event fired at the pipeline's head; the bytes counted before go into it then. Runs on the
 * channel's event loop, the counters' only writer.
 */
final class TrafficCounter extends ChannelDuplexHandler {

    private Client client;
    private long bytesIn;
    private long bytesOut;

    /** Counts into {@code client} from the connection's first byte. */
    TrafficCounter(Client client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    /** Counts until a {@code Client} user event names the connection's client, then into it. */
    TrafficCounter() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        long size = size(msg);
        if (client == null) {
            bytesIn += size;
        } else {
            client.addBytesIn(size);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        long size = size(msg);
        if (client == null) {
            bytesOut += size;
        } else {
            client.addBytesOut(size);
        }
        ctx.write(msg, promise);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof Client named && client == null) {
            client = named;
            named.addBytesIn(bytesIn);
            named.addBytesOut(bytesOut);
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    private static long size(Object msg) {
        return switch (msg) {
            case ByteBuf buf -> buf.readableBytes();
            case ByteBufHolder holder -> holder.content().readableBytes();
            default -> 0;
        };
    }
}
