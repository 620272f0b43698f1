package onair.rtmp.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import onair.rtmp.RtmpProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HandshakeHandlerTest {

    private static final int SIZE = 1536;
    private static final byte[] TAIL = ByteBufUtil.decodeHexDump(
        "f0eec24a8068bee82e00d0d1029e7e576eec5d2d29806fab93b8e636cfeb31ae");
    private static final byte[] FP_KEY = concat("Genuine Adobe Flash Player 001".getBytes(StandardCharsets.US_ASCII), TAIL);
    private static final byte[] FMS_KEY = concat("Genuine Adobe Flash Media Server 001".getBytes(StandardCharsets.US_ASCII), TAIL);

    static final class Events extends ChannelInboundHandlerAdapter {
        final List<Object> events = new ArrayList<>();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
        }
    }

    @Test
    void simpleHandshakeEchoesC1AndRemovesItselfAfterC2() {
        Events events = new Events();
        EmbeddedChannel channel = new EmbeddedChannel(new HandshakeHandler(), events);
        byte[] c1 = new byte[SIZE];
        for (int i = 0; i < SIZE; i++) {
            c1[i] = (byte) (i * 7 + 1);
        }
        c1[4] = c1[5] = c1[6] = c1[7] = 0;

        assertThat(channel.writeInbound(Unpooled.buffer().writeByte(3).writeBytes(c1))).isFalse();

        ByteBuf reply = channel.readOutbound();
        assertThat(reply.readableBytes()).isEqualTo(1 + SIZE + SIZE);
        assertThat(reply.getByte(0)).isEqualTo((byte) 3);
        assertThat(reply.getInt(1 + 4)).isZero();
        assertThat(ByteBufUtil.getBytes(reply, 1 + SIZE, SIZE)).isEqualTo(c1);
        reply.release();
        assertThat(channel.<Object>readOutbound()).isNull();
        assertThat(channel.pipeline().get(HandshakeHandler.class)).isNotNull();
        assertThat(events.events).isEmpty();

        channel.writeInbound(Unpooled.wrappedBuffer(new byte[SIZE - 1]));
        assertThat(channel.pipeline().get(HandshakeHandler.class)).isNotNull();
        assertThat(channel.writeInbound(Unpooled.wrappedBuffer(new byte[1]))).isFalse();

        assertThat(channel.pipeline().get(HandshakeHandler.class)).isNull();
        assertThat(events.events).containsExactly(HandshakeComplete.INSTANCE);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 6, 31, 0xff})
    void rejectsAnyVersionButThree(int version) {
        EmbeddedChannel channel = new EmbeddedChannel(new HandshakeHandler());
        assertThatThrownBy(() -> channel.writeInbound(Unpooled.buffer().writeByte(version)))
            .isInstanceOf(RtmpProtocolException.class)
            .hasMessage("unsupported RTMP version " + version);
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[SIZE]));
        assertThat(channel.<Object>readOutbound()).isNull();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 772})
    void complexHandshakeRepliesWithDigestsFlashPlayerAccepts(int schemeBase) {
        EmbeddedChannel channel = new EmbeddedChannel(new HandshakeHandler());
        byte[] c1 = new byte[SIZE];
        new Random(schemeBase).nextBytes(c1);
        c1[4] = 9;
        c1[5] = 0;
        c1[6] = 124;
        c1[7] = 2;
        int clientOffset = digestOffset(c1, schemeBase);
        System.arraycopy(packetDigest(c1, clientOffset, Arrays.copyOf(FP_KEY, 30)), 0, c1, clientOffset, 32);

        channel.writeInbound(Unpooled.buffer().writeByte(3).writeBytes(c1));

        ByteBuf reply = channel.readOutbound();
        assertThat(reply.readableBytes()).isEqualTo(1 + SIZE + SIZE);
        assertThat(reply.getByte(0)).isEqualTo((byte) 3);
        byte[] s1 = ByteBufUtil.getBytes(reply, 1, SIZE);
        byte[] s2 = ByteBufUtil.getBytes(reply, 1 + SIZE, SIZE);
        reply.release();

        assertThat(Arrays.copyOfRange(s1, 4, 8)).isNotEqualTo(new byte[4]);
        int serverOffset = digestOffset(s1, schemeBase);
        assertThat(Arrays.copyOfRange(s1, serverOffset, serverOffset + 32))
            .isEqualTo(packetDigest(s1, serverOffset, Arrays.copyOf(FMS_KEY, 36)));

        byte[] key = hmac(FMS_KEY, Arrays.copyOfRange(c1, clientOffset, clientOffset + 32));
        assertThat(Arrays.copyOfRange(s2, SIZE - 32, SIZE)).isEqualTo(hmac(key, Arrays.copyOf(s2, SIZE - 32)));
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void versionWithoutValidDigestGetsSimpleReply() {
        EmbeddedChannel channel = new EmbeddedChannel(new HandshakeHandler());
        byte[] c1 = new byte[SIZE];
        new Random(1).nextBytes(c1);
        c1[4] = 9;

        channel.writeInbound(Unpooled.buffer().writeByte(3).writeBytes(c1));

        ByteBuf reply = channel.readOutbound();
        assertThat(ByteBufUtil.getBytes(reply, 1 + SIZE, SIZE)).isEqualTo(c1);
        reply.release();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void bytesAfterC2FlowOnToTheNextHandler() {
        Events events = new Events();
        EmbeddedChannel channel = new EmbeddedChannel(new HandshakeHandler(), events);
        ByteBuf input = Unpooled.buffer()
            .writeByte(3).writeBytes(new byte[SIZE])
            .writeBytes(new byte[SIZE])
            .writeBytes("chunks".getBytes(StandardCharsets.US_ASCII));

        assertThat(channel.writeInbound(input)).isTrue();

        ((ByteBuf) channel.readOutbound()).release();
        ByteBuf leftover = channel.readInbound();
        assertThat(leftover.toString(StandardCharsets.US_ASCII)).isEqualTo("chunks");
        leftover.release();
        assertThat(channel.pipeline().names()).doesNotContain("HandshakeHandler#0");
        assertThat(channel.pipeline().get(HandshakeHandler.class)).isNull();
        assertThat(events.events).containsExactly(HandshakeComplete.INSTANCE);

        assertThat(channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {1, 2}))).isTrue();
        ByteBuf next = channel.readInbound();
        assertThat(next.readableBytes()).isEqualTo(2);
        next.release();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void serverAndClientInteroperate() {
        Events serverEvents = new Events();
        Events clientEvents = new Events();
        EmbeddedChannel server = new EmbeddedChannel(new HandshakeHandler(), serverEvents);
        EmbeddedChannel client = new EmbeddedChannel(new ClientHandshakeHandler(), clientEvents);

        for (int round = 0; round < 4; round++) {
            shuttle(client, server);
            shuttle(server, client);
        }

        assertThat(serverEvents.events).containsExactly(HandshakeComplete.INSTANCE);
        assertThat(clientEvents.events).containsExactly(HandshakeComplete.INSTANCE);
        assertThat(server.pipeline().get(HandshakeHandler.class)).isNull();
        assertThat(client.pipeline().get(ClientHandshakeHandler.class)).isNull();

        client.writeOutbound(Unpooled.copiedBuffer("connect", StandardCharsets.US_ASCII));
        shuttle(client, server);
        ByteBuf received = server.readInbound();
        assertThat(received.toString(StandardCharsets.US_ASCII)).isEqualTo("connect");
        received.release();
        assertThat(server.finishAndReleaseAll()).isFalse();
        assertThat(client.finishAndReleaseAll()).isFalse();
    }

    @Test
    void clientSendsC0C1AndEchoesS1AsC2() {
        Events events = new Events();
        EmbeddedChannel client = new EmbeddedChannel(new ClientHandshakeHandler(), events);
        ByteBuf c0c1 = client.readOutbound();
        assertThat(c0c1.readableBytes()).isEqualTo(1 + SIZE);
        assertThat(c0c1.getByte(0)).isEqualTo((byte) 3);
        assertThat(c0c1.getInt(1 + 4)).isZero();
        c0c1.release();

        byte[] s1 = new byte[SIZE];
        new Random(2).nextBytes(s1);
        ByteBuf s0s1s2 = Unpooled.buffer().writeByte(3).writeBytes(s1).writeBytes(new byte[SIZE]).writeByte(0x42);
        assertThat(client.writeInbound(s0s1s2)).isTrue();

        ByteBuf c2 = client.readOutbound();
        assertThat(ByteBufUtil.getBytes(c2)).isEqualTo(s1);
        c2.release();
        ByteBuf leftover = client.readInbound();
        assertThat(leftover.readByte()).isEqualTo((byte) 0x42);
        leftover.release();
        assertThat(events.events).containsExactly(HandshakeComplete.INSTANCE);
        assertThat(client.pipeline().get(ClientHandshakeHandler.class)).isNull();
        assertThat(client.finishAndReleaseAll()).isFalse();
    }

    @Test
    void clientRejectsUnsupportedServerVersion() {
        EmbeddedChannel client = new EmbeddedChannel(new ClientHandshakeHandler());
        ((ByteBuf) client.readOutbound()).release();
        assertThatThrownBy(() -> client.writeInbound(Unpooled.buffer().writeByte(6)))
            .isInstanceOf(RtmpProtocolException.class)
            .hasMessage("unsupported RTMP version 6");
        assertThat(client.finishAndReleaseAll()).isFalse();
    }

    private static void shuttle(EmbeddedChannel from, EmbeddedChannel to) {
        for (ByteBuf buf; (buf = from.readOutbound()) != null; ) {
            to.writeInbound(buf);
        }
    }

    private static int digestOffset(byte[] packet, int base) {
        int sum = 0;
        for (int i = base; i < base + 4; i++) {
            sum += packet[i] & 0xff;
        }
        return sum % 728 + base + 4;
    }

    private static byte[] packetDigest(byte[] packet, int offset, byte[] key) {
        byte[] message = concat(Arrays.copyOf(packet, offset), Arrays.copyOfRange(packet, offset + 32, packet.length));
        return hmac(key, message);
    }

    private static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] result = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, result, a.length, b.length);
        return result;
    }
}
