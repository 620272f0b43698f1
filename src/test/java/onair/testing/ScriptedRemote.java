package onair.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import onair.rtmp.chunk.ChunkDecoder;
import onair.rtmp.chunk.ChunkEncoder;
import onair.rtmp.handshake.HandshakeHandler;
import onair.rtmp.message.CommandMessage;
import onair.rtmp.message.RtmpMessage;
import onair.rtmp.message.RtmpMessageCodec;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A remote RTMP server for relay tests that serves one play: it accepts the connect, the createStream and the play
 * of any stream, and then sends the raw chunk bytes it was given, such as a message Onair's own server never sends.
 */
public final class ScriptedRemote implements AutoCloseable {

    private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    private final byte[] afterPlay;
    private final Channel listener;
    private final CountDownLatch closed = new CountDownLatch(1);

    private ScriptedRemote(byte[] afterPlay) throws InterruptedException {
        this.afterPlay = afterPlay.clone();
        this.listener = new ServerBootstrap().group(GROUP).channel(NioServerSocketChannel.class)
            .childHandler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.closeFuture().addListener(future -> closed.countDown());
                    ch.pipeline().addLast(new HandshakeHandler(),
                        new ChunkDecoder(16 << 20, 64, ChunkDecoder.DEFAULT_MAX_CHUNK_SIZE), new ChunkEncoder(),
                        new RtmpMessageCodec(), new Script());
                }
            })
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    /** Listens on an ephemeral loopback port; {@code afterPlay} is written as is once a play is answered. */
    public static ScriptedRemote start(byte[] afterPlay) throws InterruptedException {
        return new ScriptedRemote(afterPlay);
    }

    public String url(String app, String name) {
        return "rtmp://127.0.0.1:" + ((InetSocketAddress) listener.localAddress()).getPort() + "/" + app + "/" + name;
    }

    /** Whether the connection of the one who played was closed within {@code timeout}. */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
    }

    private final class Script extends SimpleChannelInboundHandler<RtmpMessage> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, RtmpMessage message) {
            if (!(message instanceof CommandMessage command)) {
                return;
            }
            switch (command.name()) {
                case "connect" -> ctx.writeAndFlush(CommandMessage.result(command.transactionId(),
                    Map.of("fmsVer", "FMS/3,0,1,123"), Map.of("level", "status",
                        "code", "NetConnection.Connect.Success", "description", "Connection succeeded.")));
                case "createStream" -> ctx.writeAndFlush(CommandMessage.result(command.transactionId(), null, 1.0));
                case "play" -> {
                    ctx.write(CommandMessage.onStatus(command.streamId(), "status", "NetStream.Play.Start",
                        "Start live"));
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(afterPlay));
                }
                default -> { }
            }
        }
    }
}
