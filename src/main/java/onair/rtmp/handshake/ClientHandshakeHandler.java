package onair.rtmp.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import onair.rtmp.RtmpProtocolException;

import java.util.List;

import static onair.rtmp.handshake.HandshakeDigest.PACKET_SIZE;

/**
 * Client side of the simple RTMP handshake (RTMP spec §5.2): sends C0+C1 once the channel is active, answers S0+S1+S2
 * with C2 (an echo of S1), fires {@link HandshakeComplete} and removes itself, passing any bytes that followed S2 on.
 */
public final class ClientHandshakeHandler extends ByteToMessageDecoder {

    private boolean c0c1Sent;
    private boolean failed;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            sendC0C1(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        sendC0C1(ctx);
        super.channelActive(ctx);
    }

    private void sendC0C1(ChannelHandlerContext ctx) {
        if (c0c1Sent) {
            return;
        }
        c0c1Sent = true;
        ctx.writeAndFlush(ctx.alloc().buffer(1 + PACKET_SIZE)
            .writeByte(HandshakeHandler.RTMP_VERSION)
            .writeBytes(HandshakeHandler.simplePacket()));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int version = in.getUnsignedByte(in.readerIndex());
        if (version != HandshakeHandler.RTMP_VERSION) {
            failed = true;
            throw new RtmpProtocolException("unsupported RTMP version " + version);
        }
        if (in.readableBytes() < 1 + 2 * PACKET_SIZE) {
            return;
        }
        ByteBuf s1 = in.skipBytes(1).readRetainedSlice(PACKET_SIZE);
        in.skipBytes(PACKET_SIZE);
        ctx.writeAndFlush(s1);
        ctx.fireUserEventTriggered(HandshakeComplete.INSTANCE);
        ctx.pipeline().remove(this);
    }
}
