package onair.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import onair.config.ConfigException;
import onair.config.HttpServerConfig;
import onair.config.Listen;
import onair.config.RtmpServerConfig;
import onair.config.ServerConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import onair.http.BlockingReload;
import onair.http.HttpExchange;
import onair.http.LocationHandler;
import onair.http.StaticFiles;
import onair.http.WebPage;
import onair.httpflv.HttpFlvHandler;
import onair.dash.DashOutput;
import onair.hls.HlsOutput;
import onair.hls.HlsSessions;
import onair.rtmpserver.RtmpSession;
import onair.config.ApplicationConfig;
import onair.directory.StreamDirectory;
import onair.exec.ExecLimits;
import onair.exec.ExecListener;
import onair.exec.ExecSupervisor;
import onair.exec.OutputWatch;
import onair.lifecycle.Lifecycle;
import onair.notify.Access;
import onair.notify.Callbacks;
import onair.rtmpserver.MaxConnections;
import onair.record.Recorders;
import onair.relay.PullRelays;
import onair.relay.PushRelays;
import onair.relay.RelayNet;
import onair.relay.RelaySnapshot;
import onair.stats.AccessLog;
import onair.stats.Reply;
import onair.control.RtmpControl;
import onair.stats.StatPages;
import onair.stats.StatSection;
import onair.stream.Clients;
import onair.stream.StreamKey;
import onair.stream.StreamRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The composition root: builds the stream registry and one listener per {@code listen} directive of the rtmp and
 * http sections, serving every connection on one event loop per core, reloads its configuration in place, and shuts
 * down in order (publishers end, recordings are flushed and closed, players get their end of stream, sockets close, HLS writes finish).
 */
public final class MediaServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MediaServer.class);
    private static final Duration RECORD_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    /** The most exec children one server runs at once; a publish that would start more logs it and runs without. */
    private static final int MAX_EXEC_CHILDREN = 256;

    private record Listener(Channel channel, ChannelInitializer<Channel> initializer) {}

    /** A listening address the configuration asks for, with the binding of exactly one of the two protocols. */
    private record Wanted(Listen listen, RtmpChannelInitializer.Binding rtmp, HttpChannelInitializer.Binding http) {}

    private final AtomicReference<ServerConfig> config;
    private final StreamRegistry registry = new StreamRegistry();
    private final Clients clients = new Clients();
    private final AccessLog accessLog;
    private final Callbacks callbacks = new Callbacks();
    private final ExecSupervisor exec = new ExecSupervisor(ExecLimits.defaults(MAX_EXEC_CHILDREN));
    private volatile Set<Integer> rtmpPorts = Set.of();
    private final ExecListener execListener = new ExecListener(exec, ApplicationConfig::exec, new OutputWatch(
        new LocalRtmp(() -> rtmpPorts), key -> registry.find(key).map(stream -> OptionalLong.of(stream.framesIn()))
            .orElse(OptionalLong.empty())));
    private final StaticChildren staticChildren = new StaticChildren(execListener);
    private final ScaleOutDirectory directory = new ScaleOutDirectory();
    private final Lifecycle lifecycle;
    private final PushRelays pushRelays;
    private final PullRelays pullRelays;
    private final MaxConnections maxConnections = new MaxConnections();
    private final Recorders recorders;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final Class<? extends ServerChannel> channelType;
    private final Map<String, Listener> listeners = new LinkedHashMap<>();
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final BlockingReload playlistReloads = new BlockingReload();
    private final StaticFiles files;
    private final Map<LocationHandler.Kind, LocationHandler> httpHandlers;
    private final HlsOutput hls;
    private final DashOutput dash;
    private final HlsSessions hlsSessions;
    private final PlaybackRoutes playback;

    public MediaServer(ServerConfig config) {
        this(config, HlsSessions.Limits.DEFAULT);
    }

    /** A server whose HLS viewer sessions expire and are bounded by {@code hlsSessionLimits}. */
    MediaServer(ServerConfig config, HlsSessions.Limits hlsSessionLimits) {
        IoHandlerFactory io = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.channelType = Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        this.acceptors = new MultiThreadIoEventLoopGroup(1, io);
        this.workers = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(), io);
        RelayNet relayNet = new RelayNet(workers,
            Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class);
        this.pushRelays = new PushRelays(registry, relayNet);
        this.pullRelays = new PullRelays(registry, relayNet, new DirectorySources(directory::directory));
        this.lifecycle = new Lifecycle(List.of(new Access(), callbacks, execListener, pushRelays, pullRelays,
            directory.registration()));
        this.config = new AtomicReference<>(config);
        this.accessLog = new AccessLog(this.config::get);
        clients.onClose(accessLog::write);
        this.recorders = new Recorders(this.config::get, RECORD_CLOSE_TIMEOUT);
        registry.observe(recorders);
        recorders.listen(new RecordEvents(this.config::get, lifecycle));
        this.hls = new HlsOutput(this.config::get, playlistReloads::written);
        registry.observe(hls);
        this.dash = new DashOutput(this.config::get, WebPage.API_TIME);
        registry.observe(dash);
        this.hlsSessions = new HlsSessions(file -> dash.streamOf(file).or(() -> hls.streamOf(file)), registry, clients,
            hlsSessionLimits);
        this.files = new StaticFiles(playlistReloads, hlsSessions::served);
        StatPages stat = new StatPages(this.config::get, registry, clients, exec, this::relays, directory::snapshot);
        RtmpControl control = new RtmpControl(this.config::get, registry, recorders::control,
            (app, name, url, start) -> start ? pushRelays.start(app, name, url)
                : pushRelays.stop(new StreamKey(app.name(), name), url));
        this.playback = new PlaybackRoutes(this.config::get, new WebPage(registry, exec::snapshot, this::relays));
        this.httpHandlers = Map.of(
            LocationHandler.Kind.FILES, files,
            LocationHandler.Kind.PAGE, playback,
            LocationHandler.Kind.FLV_LIVE, new HttpFlvHandler(registry, this.config::get, clients, lifecycle),
            LocationHandler.Kind.RTMP_STAT, exchange -> reply(exchange, exchange.path().endsWith("/stat.xsl")
                ? stat.stylesheet()
                : stat.stat(exchange.query(), exchange.request().headers().get(HttpHeaderNames.ACCEPT),
                    StatSection.parse(exchange.location().rtmpStat()), exchange.location().statStylesheet())),
            LocationHandler.Kind.RTMP_CONTROL, exchange -> reply(exchange, control.handle(exchange.path(),
                exchange.query(), RtmpControl.Section.parse(exchange.location().rtmpControl()))),
            LocationHandler.Kind.METRICS, exchange -> reply(exchange, stat.metrics()));
    }

    /** The configured pushes and pulls of stream {@code key}, for statistics. */
    private List<RelaySnapshot> relays(StreamKey key) {
        List<RelaySnapshot> relays = new ArrayList<>(pushRelays.snapshot(key));
        relays.addAll(pullRelays.snapshot(key));
        return relays;
    }

    private static void reply(HttpExchange exchange, Reply reply) {
        exchange.respond(HttpResponseStatus.valueOf(reply.status()), reply.contentType(), reply.body());
    }

    /** Recovers crashed recordings, binds every listener, starts the {@code exec_static} children; may fail to bind. */
    public synchronized MediaServer start() throws InterruptedException {
        recorders.recover();
        listen(config.get());
        staticChildren.apply(config.get());
        pullRelays.apply(config.get());
        directory.apply(config.get(), rtmpAddresses());
        return this;
    }

    /** The configuration in use: the one started with, or the last one a reload applied. */
    public ServerConfig config() {
        return config.get();
    }

    /**
     * Re-reads {@code file} (null: the built-in configuration) and applies it with {@link #reload(ServerConfig)},
     * logging one line either way.
     *
     * @return false when the file is invalid or a new address cannot be bound: the old configuration stays in use
     */
    public boolean reload(Path file) {
        String source = file == null ? "the built-in configuration" : file.toString();
        try {
            ServerConfig next = file == null ? ServerConfig.defaults() : ServerConfig.load(file);
            next.ignored().forEach(note -> log.warn("{}", note));
            reload(next);
            log.info("reloaded {}", source);
            return true;
        } catch (ConfigException e) {
            log.error("reload failed, keeping the old configuration: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.error("reload of {} interrupted, keeping the old configuration", source);
        } catch (Exception e) {
            log.error("reload of {} failed, keeping the old configuration: {}", source, e.toString());
        }
        return false;
    }

    /**
     * Applies a new configuration without dropping live streams: binds added listeners (all or none), closes removed
     * ones, and has new connections start with the new settings. Established sessions keep theirs, except that a
     * session whose application is gone from its listener's server is closed; connections accepted on a removed
     * listener stay open untouched until they end. Running exec children keep their command lines; the
     * {@code exec_static} ones follow {@link StaticChildren#apply}.
     */
    public synchronized void reload(ServerConfig next) throws InterruptedException {
        listen(next);
        config.set(next);
        recorders.recover();
        staticChildren.apply(next);
        pullRelays.apply(next);
        directory.apply(next, rtmpAddresses());
        for (Channel channel : connections) {
            Listener listener = listenerOf(channel.parent());
            if (listener != null && listener.initializer() instanceof RtmpChannelInitializer rtmp) {
                RtmpSession.Reload event = new RtmpSession.Reload(rtmp.config());
                channel.eventLoop().execute(() -> channel.pipeline().fireUserEventTriggered(event));
            }
        }
    }

    private Listener listenerOf(Channel serverChannel) {
        for (Listener listener : listeners.values()) {
            if (listener.channel() == serverChannel) {
                return listener;
            }
        }
        return null;
    }

    private void listen(ServerConfig next) throws InterruptedException {
        Map<String, Wanted> wanted = wanted(next);
        Map<String, Listener> added = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Wanted> entry : wanted.entrySet()) {
                if (!listeners.containsKey(entry.getKey())) {
                    added.put(entry.getKey(), bind(entry.getValue()));
                }
            }
        } catch (Exception e) {
            added.values().forEach(listener -> listener.channel().close().awaitUninterruptibly());
            throw e;
        }
        for (Iterator<Map.Entry<String, Listener>> it = listeners.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Listener> entry = it.next();
            Wanted kept = wanted.get(entry.getKey());
            if (kept == null) {
                entry.getValue().channel().close().awaitUninterruptibly();
                log.info("stopped listening on {}", entry.getValue().channel().localAddress());
                it.remove();
            } else if (entry.getValue().initializer() instanceof RtmpChannelInitializer rtmp) {
                rtmp.rebind(kept.rtmp());
            } else if (entry.getValue().initializer() instanceof HttpChannelInitializer http) {
                http.rebind(kept.http());
            }
        }
        added.forEach((key, listener) -> {
            listeners.put(key, listener);
            boolean ssl = wanted.get(key).listen().ssl();
            String protocol = wanted.get(key).rtmp() != null ? (ssl ? "rtmps" : "rtmp") : (ssl ? "https" : "http");
            log.info("{} listening on {}", protocol, listener.channel().localAddress());
        });
        rtmpPorts = listeners.values().stream()
            .filter(listener -> listener.initializer() instanceof RtmpChannelInitializer)
            .map(listener -> ((InetSocketAddress) listener.channel().localAddress()).getPort())
            .collect(Collectors.toUnmodifiableSet());
    }

    private Map<String, Wanted> wanted(ServerConfig next) {
        Map<String, Wanted> wanted = new LinkedHashMap<>();
        Map<String, Integer> ephemeral = new HashMap<>();
        for (int index = 0; index < next.rtmpServers().size(); index++) {
            RtmpServerConfig server = next.rtmpServers().get(index);
            SslContext ssl = server.ssl() == null ? null : TlsContexts.server(server.ssl(), false);
            ConnectionLimits limits = new ConnectionLimits(server.maxConnections(), server.maxConnectionsPerAddress());
            for (Listen listen : server.listens()) {
                wanted.put(key("rtmp", listen, ephemeral), new Wanted(listen,
                    new RtmpChannelInitializer.Binding(server, listen.ssl() ? ssl : null, limits, index), null));
            }
        }
        for (HttpServerConfig server : next.httpServers()) {
            ConnectionLimits limits = new ConnectionLimits(HttpChannelInitializer.MAX_CONNECTIONS,
                server.maxConnectionsPerAddress());
            for (Listen listen : server.listens()) {
                SslContext ssl = listen.ssl() ? TlsContexts.server(server.ssl(), listen.http2()) : null;
                wanted.put(key("http", listen, ephemeral), new Wanted(listen, null,
                    new HttpChannelInitializer.Binding(server, ssl, limits, httpHandlers, listen.http2())));
            }
        }
        return wanted;
    }

    private static String key(String protocol, Listen listen, Map<String, Integer> ephemeral) {
        String address = protocol + " " + new Listen(listen.host(), listen.port());
        return listen.port() != 0 ? address : address + "#" + ephemeral.merge(address, 1, Integer::sum);
    }

    private Listener bind(Wanted wanted) throws InterruptedException {
        Listen listen = wanted.listen();
        InetSocketAddress address = listen.host() == null
            ? new InetSocketAddress(listen.port()) : new InetSocketAddress(listen.host(), listen.port());
        ChannelInitializer<Channel> initializer = wanted.rtmp() != null
            ? new RtmpChannelInitializer(wanted.rtmp(), registry, lifecycle, maxConnections, connections, clients)
            : new HttpChannelInitializer(wanted.http(), connections);
        Channel channel = new ServerBootstrap()
            .group(acceptors, workers)
            .channel(channelType)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 << 10, 256 << 10))
            .childHandler(initializer)
            .bind(address).sync().channel();
        return new Listener(channel, initializer);
    }

    /** The bound RTMP and RTMPS addresses, in configuration order (with real ports when port 0 was configured). */
    public synchronized List<InetSocketAddress> rtmpAddresses() {
        return addresses("rtmp", config.get().rtmpServers().stream().map(RtmpServerConfig::listens).toList());
    }

    /** The bound HTTP and HTTPS addresses, in configuration order (with real ports when port 0 was configured). */
    public synchronized List<InetSocketAddress> httpAddresses() {
        return addresses("http", config.get().httpServers().stream().map(HttpServerConfig::listens).toList());
    }

    private List<InetSocketAddress> addresses(String protocol, List<List<Listen>> servers) {
        List<InetSocketAddress> addresses = new ArrayList<>();
        Map<String, Integer> ephemeral = new HashMap<>();
        for (List<Listen> listens : servers) {
            for (Listen listen : listens) {
                Listener listener = listeners.get(key(protocol, listen, ephemeral));
                if (listener != null) {
                    addresses.add((InetSocketAddress) listener.channel().localAddress());
                }
            }
        }
        return List.copyOf(addresses);
    }

    /** Connections accepted and not yet closed, across every listener. */
    public int openConnections() {
        return connections.size();
    }

    public StreamRegistry registry() {
        return registry;
    }

    /** The recorders of live publications: control's {@code record start|stop}, record_done listeners. */
    public Recorders recorders() {
        return recorders;
    }

    /** Every client connection, with the server-wide counters ({@code naccepted}, bytes, uptime). */
    public Clients clients() {
        return clients;
    }

    /** The exec children of this server. */
    public ExecSupervisor exec() {
        return exec;
    }

    /** The scale-out directory: where this server registers its streams and an edge looks up their origin. */
    public StreamDirectory directory() {
        return directory.directory();
    }

    /**
     * The listeners every protocol tells of its connections' lives: access rules, then the HTTP callbacks, then the
     * exec children, then the {@code push} and {@code pull} relays, then the directory's origin registration.
     */
    public Lifecycle lifecycle() {
        return lifecycle;
    }

    @Override
    public void close() {
        synchronized (this) {
            listeners.values().forEach(listener -> listener.channel().close().awaitUninterruptibly());
            listeners.clear();
        }
        List<Future<?>> ended = new ArrayList<>();
        connections.forEach(channel -> ended.add(channel.eventLoop().submit(
            () -> channel.pipeline().fireUserEventTriggered(RtmpSession.Shutdown.INSTANCE))));
        ended.forEach(future -> future.awaitUninterruptibly(1, TimeUnit.SECONDS));
        recorders.close();
        connections.forEach(channel -> channel.eventLoop().execute(
            () -> channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE)));
        if (!connections.newCloseFuture().awaitUninterruptibly(2, TimeUnit.SECONDS)) {
            connections.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        pullRelays.close();
        exec.close();
        directory.close();
        hls.close();
        dash.close();
        hlsSessions.close();
        acceptors.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        accessLog.close();
        callbacks.close();
        files.close();
        playback.close();
        log.info("stopped");
    }

}
