package onair.rtmp.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import onair.rtmp.RtmpProtocolException;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static onair.rtmp.handshake.HandshakeDigest.DIGEST_LENGTH;
import static onair.rtmp.handshake.HandshakeDigest.PACKET_SIZE;

/**
 * Server side of the RTMP handshake (RTMP spec §5.2): answers C0+C1 with S0+S1+S2 in one write, waits for C2, fires
 * {@link HandshakeComplete} and removes itself, passing any bytes that followed C2 on. A C1 with a version and a
 * valid Flash Player digest gets the digest ("complex") reply that Flash Player needs for H.264 and AAC.
 */
public final class HandshakeHandler extends ByteToMessageDecoder {

    static final int RTMP_VERSION = 3;
    private static final int SERVER_VERSION = 0x0D0E0A0D;

    private enum Phase { C0_C1, C2, FAILED }

    private Phase phase = Phase.C0_C1;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        switch (phase) {
            case C0_C1 -> {
                int version = in.getUnsignedByte(in.readerIndex());
                if (version != RTMP_VERSION) {
                    phase = Phase.FAILED;
                    throw new RtmpProtocolException("unsupported RTMP version " + version);
                }
                if (in.readableBytes() < 1 + PACKET_SIZE) {
                    return;
                }
                byte[] c1 = new byte[PACKET_SIZE];
                in.skipBytes(1).readBytes(c1);
                ctx.writeAndFlush(reply(ctx.alloc(), c1));
                phase = Phase.C2;
            }
            case C2 -> {
                if (in.readableBytes() < PACKET_SIZE) {
                    return;
                }
                in.skipBytes(PACKET_SIZE);
                ctx.fireUserEventTriggered(HandshakeComplete.INSTANCE);
                ctx.pipeline().remove(this);
            }
            case FAILED -> in.skipBytes(in.readableBytes());
        }
    }

    private static ByteBuf reply(ByteBufAllocator alloc, byte[] c1) {
        int scheme = c1[4] == 0 && c1[5] == 0 && c1[6] == 0 && c1[7] == 0
            ? -1
            : HandshakeDigest.findScheme(c1, HandshakeDigest.PLAYER_KEY, HandshakeDigest.PLAYER_KEY_OPEN_PART);
        ByteBuf reply = alloc.buffer(1 + 2 * PACKET_SIZE);
        reply.writeByte(RTMP_VERSION);
        if (scheme < 0) {
            reply.writeBytes(simplePacket()).writeBytes(c1);
        } else {
            reply.writeBytes(complexS1(scheme)).writeBytes(complexS2(c1, HandshakeDigest.offset(c1, scheme)));
        }
        return reply;
    }

    static byte[] simplePacket() {
        byte[] s1 = new byte[PACKET_SIZE];
        ThreadLocalRandom.current().nextBytes(s1);
        writeInt(s1, 0, uptime());
        writeInt(s1, 4, 0);
        return s1;
    }

    private static byte[] complexS1(int scheme) {
        byte[] s1 = new byte[PACKET_SIZE];
        ThreadLocalRandom.current().nextBytes(s1);
        writeInt(s1, 0, uptime());
        writeInt(s1, 4, SERVER_VERSION);
        int offset = HandshakeDigest.offset(s1, scheme);
        byte[] digest = HandshakeDigest.packetDigest(s1, offset, HandshakeDigest.SERVER_KEY,
            HandshakeDigest.SERVER_KEY_OPEN_PART);
        System.arraycopy(digest, 0, s1, offset, DIGEST_LENGTH);
        return s1;
    }

    private static byte[] complexS2(byte[] c1, int clientDigestOffset) {
        byte[] clientDigest = new byte[DIGEST_LENGTH];
        System.arraycopy(c1, clientDigestOffset, clientDigest, 0, DIGEST_LENGTH);
        byte[] key = HandshakeDigest.hmac(HandshakeDigest.SERVER_KEY, clientDigest, DIGEST_LENGTH);
        byte[] s2 = new byte[PACKET_SIZE];
        ThreadLocalRandom.current().nextBytes(s2);
        byte[] signature = HandshakeDigest.hmac(key, s2, PACKET_SIZE - DIGEST_LENGTH);
        System.arraycopy(signature, 0, s2, PACKET_SIZE - DIGEST_LENGTH, DIGEST_LENGTH);
        return s2;
    }

    private static int uptime() {
        return (int) (System.nanoTime() / 1_000_000);
    }

    private static void writeInt(byte[] packet, int index, int value) {
        packet[index] = (byte) (value >>> 24);
        packet[index + 1] = (byte) (value >>> 16);
        packet[index + 2] = (byte) (value >>> 8);
        packet[index + 3] = (byte) value;
    }
}
