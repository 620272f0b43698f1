package onair.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/** Counts the bytes a relay's pipeline writes towards the socket; read from any thread. */
final class OutboundBytes extends ChannelOutboundHandlerAdapter {

    private volatile long bytes;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            bytes += buf.readableBytes();
        }
        ctx.write(msg, promise);
    }

    long bytes() {
        return bytes;
    }
}
