package onair.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import onair.stream.Client;

/**
 * The first handler of a client connection: counts the bytes read from and written to its socket (TLS records
 * included) into its {@link Client}. Runs on the connection's event loop, the counters' only writer.
 */
final class TrafficCounter extends ChannelDuplexHandler {

    private final Client client;

    TrafficCounter(Client client) {
        this.client = client;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        client.addBytesIn(size(msg));
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        client.addBytesOut(size(msg));
        ctx.write(msg, promise);
    }

    private static long size(Object msg) {
        return switch (msg) {
            case ByteBuf buf -> buf.readableBytes();
            case ByteBufHolder holder -> holder.content().readableBytes();
            default -> 0;
        };
    }
}
