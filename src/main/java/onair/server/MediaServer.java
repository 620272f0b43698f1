package onair.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import onair.config.Listen;
import onair.config.RtmpServerConfig;
import onair.config.ServerConfig;
import onair.config.SslConfig;
import onair.live.RtmpSession;
import onair.stream.StreamRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The composition root: builds the stream registry and one listener per {@code listen} directive, serving every
 * connection on one event loop per core, and shuts down in order (publishers end, players get their end of stream,
 * sockets close).
 */
public final class MediaServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MediaServer.class);

    private final ServerConfig config;
    private final StreamRegistry registry = new StreamRegistry();
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final Class<? extends ServerChannel> channelType;
    private final ChannelGroup listeners = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final List<InetSocketAddress> rtmpAddresses = new ArrayList<>();

    public MediaServer(ServerConfig config) {
        this.config = config;
        IoHandlerFactory io = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.channelType = Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        this.acceptors = new MultiThreadIoEventLoopGroup(1, io);
        this.workers = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(), io);
    }

    /** Binds every listener; fails if any address cannot be bound. */
    public MediaServer start() throws InterruptedException {
        for (RtmpServerConfig server : config.rtmpServers()) {
            SslContext ssl = server.ssl() == null ? null : sslContext(server.ssl());
            ConnectionLimits limits = new ConnectionLimits(server.maxConnections(), server.maxConnectionsPerAddress());
            ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptors, workers)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 << 10, 256 << 10));
            for (Listen listen : server.listens()) {
                InetSocketAddress address = listen.host() == null
                    ? new InetSocketAddress(listen.port()) : new InetSocketAddress(listen.host(), listen.port());
                Channel channel = bootstrap.clone()
                    .childHandler(new RtmpChannelInitializer(server, registry, connections, listen.ssl() ? ssl : null,
                        limits))
                    .bind(address).sync().channel();
                listeners.add(channel);
                InetSocketAddress bound = (InetSocketAddress) channel.localAddress();
                rtmpAddresses.add(bound);
                log.info("{} listening on {}", listen.ssl() ? "rtmps" : "rtmp", bound);
            }
        }
        return this;
    }

    private static SslContext sslContext(SslConfig config) {
        try {
            return SslContextBuilder.forServer(config.key(), config.certificateChain())
                .sslProvider(SslProvider.JDK)
                .protocols(config.protocols())
                .ciphers(config.ciphers().isEmpty() ? null : config.ciphers())
                .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot use certificate \"" + config.certificate() + "\": "
                + e.getMessage(), e);
        }
    }

    /** The bound RTMP and RTMPS addresses, in configuration order (with real ports when port 0 was configured). */
    public List<InetSocketAddress> rtmpAddresses() {
        return List.copyOf(rtmpAddresses);
    }

    /** Connections accepted and not yet closed, across every listener. */
    public int openConnections() {
        return connections.size();
    }

    public StreamRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        listeners.close().awaitUninterruptibly();
        List<Future<?>> ended = new ArrayList<>();
        connections.forEach(channel -> ended.add(channel.eventLoop().submit(
            () -> channel.pipeline().fireUserEventTriggered(RtmpSession.Shutdown.INSTANCE))));
        ended.forEach(future -> future.awaitUninterruptibly(1, TimeUnit.SECONDS));
        connections.forEach(channel -> channel.eventLoop().execute(
            () -> channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE)));
        if (!connections.newCloseFuture().awaitUninterruptibly(2, TimeUnit.SECONDS)) {
            connections.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        acceptors.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        log.info("stopped");
    }

}
