package onair.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import onair.rtmp.chunk.ChunkDecoder;
import onair.rtmp.chunk.ChunkEncoder;
import onair.rtmp.handshake.ClientHandshakeHandler;
import onair.rtmp.handshake.HandshakeComplete;
import onair.rtmp.message.CommandMessage;
import onair.rtmp.message.DataMessage;
import onair.rtmp.message.MediaMessage;
import onair.rtmp.message.RtmpMessage;
import onair.rtmp.message.RtmpMessageCodec;
import onair.rtmp.message.SetChunkSize;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A scripted RTMP client for in-process tests: real sockets and Onair's own codecs, every received message kept in
 * arrival order so a test can assert on exactly what a player or publisher observed.
 */
public final class RtmpTestClient implements AutoCloseable {

    private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

    private final Channel channel;
    private final LinkedBlockingQueue<RtmpMessage> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> handshake = new CompletableFuture<>();
    private double nextTransaction = 1;

    private RtmpTestClient(InetSocketAddress server, int receiveBuffer, SslContext tls, String localHost)
        throws InterruptedException {
        Bootstrap bootstrap = new Bootstrap().group(GROUP).channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    if (tls != null) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc(), server.getHostString(), server.getPort()));
                    }
                    ch.pipeline().addLast(new ClientHandshakeHandler(), new ChunkDecoder(16 << 20, 64, ChunkDecoder.DEFAULT_MAX_CHUNK_SIZE),
                        new ChunkEncoder(), new RtmpMessageCodec(), new Collector());
                }
            });
        if (receiveBuffer > 0) {
            bootstrap.option(ChannelOption.SO_RCVBUF, receiveBuffer);
        }
        channel = (localHost == null ? bootstrap.connect(server)
            : bootstrap.connect(server, new InetSocketAddress(localHost, 0))).sync().channel();
        handshake.orTimeout(5, TimeUnit.SECONDS).join();
    }

    /** Connects, completes the handshake and sends nothing else. */
    public static RtmpTestClient open(InetSocketAddress server) throws InterruptedException {
        return new RtmpTestClient(server, 0, null, null);
    }

    /** Like {@link #open} from the local address {@code localHost} (any 127.x.y.z works on Linux loopback). */
    public static RtmpTestClient openFrom(InetSocketAddress server, String localHost) throws InterruptedException {
        return new RtmpTestClient(server, 0, null, localHost);
    }

    /** Like {@link #open} over TLS (RTMPS) with a client context from {@code tls}. */
    public static RtmpTestClient open(InetSocketAddress server, SslContext tls) throws InterruptedException {
        return new RtmpTestClient(server, 0, tls, null);
    }

    /** Like {@link #open} with a small socket receive buffer, for players that stop reading. */
    public static RtmpTestClient open(InetSocketAddress server, int receiveBuffer) throws InterruptedException {
        return new RtmpTestClient(server, receiveBuffer, null, null);
    }

    public Channel channel() {
        return channel;
    }

    /** The {@code code} of an onStatus, _result or _error info object (its first argument), or "" without one. */
    public static String code(CommandMessage command) {
        return !command.arguments().isEmpty() && command.arguments().getFirst() instanceof Map<?, ?> info
            ? String.valueOf(info.get("code")) : "";
    }

    /** Sends {@code connect} for {@code app} and returns the server's answer (_result or _error). */
    public CommandMessage connect(String app) {
        return connect(app, Map.of());
    }

    /** Like {@link #connect(String)} with {@code extra} properties in the command object, such as {@code capsEx}. */
    public CommandMessage connect(String app, Map<String, Object> extra) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("app", app);
        properties.put("type", "nonprivate");
        properties.put("flashVer", "FMLE/3.0 (compatible; onair-test)");
        properties.put("tcUrl", "rtmp://127.0.0.1/" + app);
        properties.putAll(extra);
        double tx = nextTransaction++;
        send(new CommandMessage(0, 0, "connect", tx, properties, List.of()));
        return awaitCommand(c -> c.transactionId() == tx);
    }

    /** Sends {@code createStream} and returns the new stream id. */
    public int createStream() {
        double tx = nextTransaction++;
        send(new CommandMessage(0, 0, "createStream", tx, null, List.of()));
        CommandMessage result = awaitCommand(c -> c.transactionId() == tx && c.name().equals("_result"));
        return ((Number) result.arguments().getFirst()).intValue();
    }

    /** Sends {@code publish} and returns the first onStatus answer. */
    public CommandMessage publish(int streamId, String name) {
        send(new CommandMessage(streamId, 0, "publish", 0, null, List.of(name, "live")));
        return awaitCommand(c -> c.name().equals("onStatus"));
    }

    /** Sends {@code play}; the answers are left in the received queue. */
    public void play(int streamId, String name) {
        send(new CommandMessage(streamId, 0, "play", 0, null, List.of(name, -2.0, -1.0, true)));
    }

    /** Sends {@code getStreamLength} and waits for its answer: a barrier behind everything sent before. */
    public void roundTrip(int streamId) {
        double tx = nextTransaction++;
        send(new CommandMessage(streamId, 0, "getStreamLength", tx, null, List.of("")));
        awaitCommand(c -> c.transactionId() == tx);
    }

    public void setChunkSize(int size) {
        send(new SetChunkSize(size));
    }

    public void sendVideo(int streamId, int timestamp, byte... body) {
        send(new MediaMessage(streamId, timestamp, 9, Unpooled.wrappedBuffer(body)));
    }

    public void sendAudio(int streamId, int timestamp, byte... body) {
        send(new MediaMessage(streamId, timestamp, 8, Unpooled.wrappedBuffer(body)));
    }

    public void sendData(int streamId, Object... values) {
        send(new DataMessage(streamId, 0, List.of(values)));
    }

    public void send(RtmpMessage message) {
        channel.writeAndFlush(message).syncUninterruptibly();
    }

    /** Writes raw bytes past the codecs, for malformed input. */
    public void sendRaw(ByteBuf bytes) {
        channel.writeAndFlush(bytes).syncUninterruptibly();
    }

    /** The next received message, or null after {@code timeout}; the caller releases it. */
    public RtmpMessage poll(Duration timeout) throws InterruptedException {
        return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits for a command matching {@code filter}, releasing and discarding what comes before it. */
    public CommandMessage awaitCommand(Predicate<CommandMessage> filter) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<String> skipped = new ArrayList<>();
        try {
            while (System.nanoTime() < deadline) {
                RtmpMessage message = received.poll(100, TimeUnit.MILLISECONDS);
                if (message instanceof CommandMessage command && filter.test(command)) {
                    return command;
                }
                if (message != null) {
                    skipped.add(message.toString());
                    ReferenceCountUtil.release(message);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new AssertionError("no matching command within 5 s; skipped " + skipped);
    }

    public boolean awaitClosed(Duration timeout) {
        return channel.closeFuture().awaitUninterruptibly(timeout.toMillis());
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        RtmpMessage message;
        while ((message = received.poll()) != null) {
            ReferenceCountUtil.release(message);
        }
    }

    private final class Collector extends SimpleChannelInboundHandler<RtmpMessage> {
        Collector() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, RtmpMessage message) {
            if (message instanceof SetChunkSize) {
                ReferenceCountUtil.release(message);
                return;
            }
            received.add(message);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof HandshakeComplete) {
                handshake.complete(null);
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            handshake.completeExceptionally(cause);
            ctx.close();
        }
    }
}
