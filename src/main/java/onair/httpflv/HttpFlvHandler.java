package onair.httpflv;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import onair.config.ApplicationConfig;
import onair.config.HttpLocation;
import onair.config.ServerConfig;
import onair.http.HttpExchange;
import onair.http.LocationHandler;
import onair.stream.Client;
import onair.stream.Clients;
import onair.stream.FrameQueue;
import onair.stream.LiveOptions;
import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.stream.StreamRegistry;
import onair.stream.StreamStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Plays live streams over HTTP as FLV, like nginx-http-flv-module: in a {@code flv_live on} location, the location
 * path's last segment names the RTMP application and the file name the stream ({@code GET /live/KEY.flv}), or the
 * query does ({@code ?app=APP&stream=KEY}). The response is chunked FLV: header, then metadata, sequence headers and
 * the GOP cache, then live tags; the publisher leaving ends it. With {@code Upgrade: websocket} the same bytes go in
 * binary WebSocket messages (WebSocket-FLV, as mpegts.js plays it). A viewer is a {@link Client} of the rtmp server
 * block {@link ServerConfig#application(String)} takes its application from; it is fired as a user event at the
 * pipeline's head, where the connection's byte counter takes it.
 */
public final class HttpFlvHandler implements LocationHandler {

    private static final Logger log = LoggerFactory.getLogger(HttpFlvHandler.class);

    static final int VIEWER_QUEUE_FRAMES = 2048;
    static final long VIEWER_QUEUE_BYTES = 32L << 20;
    static final long WEBSOCKET_WRITE_TIMEOUT_MILLIS = 30_000;
    private static final int MAX_WEBSOCKET_FRAME = 64 << 10;

    private final Clients clients;
    private final StreamRegistry registry;
    private final Supplier<ServerConfig> config;

    public HttpFlvHandler(StreamRegistry registry, Supplier<ServerConfig> config, Clients clients) {
        this.registry = registry;
        this.config = config;
        this.clients = clients;
    }

    @Override
    public void handle(HttpExchange exchange) {
        StreamKey key = key(exchange);
        if (key == null) {
            exchange.refuse(HttpResponseStatus.NOT_FOUND, "no stream named in " + exchange.path());
            return;
        }
        ServerConfig current = config.get();
        Optional<ApplicationConfig> app = current.application(key.app());
        if (app.isEmpty()) {
            exchange.refuse(HttpResponseStatus.NOT_FOUND, "unknown application \"" + key.app() + "\"");
            return;
        }
        int server = current.server(key.app()).orElseThrow();
        boolean live = registry.find(key).map(LiveStream::isLive).orElse(false);
        if (!app.get().idleStreams() && !live) {
            exchange.refuse(HttpResponseStatus.NOT_FOUND, "stream \"" + key + "\" is not published (idle_streams off)");
            return;
        }
        HttpRequest request = exchange.request();
        if (request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            webSocket(exchange, key, app.get(), server);
            return;
        }
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "video/x-flv");
        head.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        if (exchange.isHead()) {
            head.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
            exchange.respond(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.OK, Unpooled.EMPTY_BUFFER, head.headers(), EmptyHttpHeaders.INSTANCE));
            return;
        }
        exchange.startStream(head);
        Channel channel = exchange.channel();
        LiveStream stream = registry.stream(key, options(app.get()));
        channel.write(new DefaultHttpContent(Unpooled.wrappedBuffer(flvHeader(stream))));
        FlvViewer viewer = new FlvViewer(channel, queue(app.get()), DefaultHttpContent::new, exchange::endStream);
        exchange.onWritabilityChanged(viewer::drain);
        play(channel, stream, viewer, new Viewing(key, server, "http-flv"));
    }

    private void webSocket(HttpExchange exchange, StreamKey key, ApplicationConfig app, int server) {
        HttpRequest request = exchange.request();
        Channel channel = exchange.channel();
        String scheme = channel.pipeline().get(SslHandler.class) == null ? "ws://" : "wss://";
        String url = scheme + request.headers().get(HttpHeaderNames.HOST, "localhost") + request.uri();
        WebSocketServerHandshaker handshaker =
                new WebSocketServerHandshakerFactory(url, null, false, MAX_WEBSOCKET_FRAME).newHandshaker(request);
        if (handshaker == null) {
            exchange.refuse(HttpResponseStatus.UPGRADE_REQUIRED, "unsupported WebSocket version");
            return;
        }
        exchange.detach();
        DefaultFullHttpRequest full = new DefaultFullHttpRequest(request.protocolVersion(), request.method(),
                request.uri(), Unpooled.EMPTY_BUFFER, request.headers(), EmptyHttpHeaders.INSTANCE);
        LiveStream stream = registry.stream(key, options(app));
        handshaker.handshake(channel, full).addListener(done -> {
            if (!done.isSuccess()) {
                log.info("[{}] WebSocket handshake for {} failed: {}", channel.remoteAddress(), key, done.cause());
                channel.close();
                return;
            }
            FlvViewer viewer = new FlvViewer(channel, queue(app), BinaryWebSocketFrame::new,
                    () -> channel.writeAndFlush(new CloseWebSocketFrame(1000, "publisher left"))
                            .addListener(ChannelFutureListener.CLOSE));
            channel.pipeline().addLast(new WebSocketSide(viewer));
            channel.write(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(flvHeader(stream))));
            play(channel, stream, viewer, new Viewing(key, server, "websocket-flv"));
        });
    }

    /** What a viewer plays: the stream, the rtmp server block of its application, and the protocol's log name. */
    private record Viewing(StreamKey key, int server, String protocol) {}

    private void play(Channel channel, LiveStream stream, FlvViewer viewer, Viewing viewing) {
        StreamKey key = viewing.key();
        String protocol = viewing.protocol();
        Client client = clients.open(Client.Protocol.HTTP_FLV, channel.remoteAddress(), viewing.server());
        channel.pipeline().fireUserEventTriggered(client);
        client.connected(key.app(), "", "", "", "");
        client.started(false, key.name(), "");
        client.control(new ViewerControl(channel, protocol));
        viewer.client(client);
        viewer.subscription(stream.subscribe(viewer));
        channel.flush();
        viewer.drain();
        log.info("[{}] {} play {}", channel.remoteAddress(), protocol, key);
        channel.closeFuture().addListener(closed -> {
            viewer.close();
            clients.close(client);
            log.info("[{}] {} play {} ended, {} frames dropped", channel.remoteAddress(), protocol, key,
                    viewer.droppedFrames());
        });
    }

    /** Control of an HTTP-FLV viewer: drop closes its connection; it cannot be redirected. */
    private record ViewerControl(Channel channel, String protocol) implements Client.Control {

        @Override
        public void drop() {
            log.info("[{}] {} closed: dropped by control", channel.remoteAddress(), protocol);
            channel.close();
        }

        @Override
        public void redirect(StreamKey from, String newName) {
            log.info("[{}] {} viewer of {} cannot be redirected to {}", channel.remoteAddress(), protocol, from,
                    newName);
        }
    }

    /** The stream a request names: app from the location's last segment and the file name, or from the query. */
    static StreamKey key(HttpExchange exchange) {
        HttpLocation location = exchange.location();
        String base = location.path().endsWith("/")
                ? location.path().substring(0, location.path().length() - 1) : location.path();
        String app = exchange.parameter("app");
        if (app == null) {
            app = base.substring(base.lastIndexOf('/') + 1);
        }
        String name = exchange.parameter("stream");
        if (name == null) {
            String rest = exchange.path().length() > base.length() ? exchange.path().substring(base.length()) : "";
            if (!rest.startsWith("/") || rest.indexOf('/', 1) >= 0) {
                return null;
            }
            name = rest.substring(1);
            if (name.endsWith(".flv")) {
                name = name.substring(0, name.length() - 4);
            }
        }
        if (app.isEmpty() || name.isEmpty() || name.indexOf('?') >= 0 || name.indexOf('/') >= 0) {
            return null;
        }
        return new StreamKey(app, name);
    }

    private static byte[] flvHeader(LiveStream stream) {
        StreamStats stats = stream.stats();
        return FlvTag.header(stats.audio().codec().present(), stats.video().codec().present());
    }

    private static FrameQueue queue(ApplicationConfig app) {
        return new FrameQueue(VIEWER_QUEUE_FRAMES, VIEWER_QUEUE_BYTES, app.waitKey(), app.waitVideo());
    }

    private static LiveOptions options(ApplicationConfig app) {
        LiveOptions defaults = LiveOptions.defaults();
        return new LiveOptions(app.gopCache(), app.waitKey(), app.waitVideo(), app.idleStreams(),
                defaults.maxGopFrames(), defaults.maxGopBytes());
    }

    /**
     * The inbound side of a WebSocket-FLV viewer: answers pings, closes on a close frame, ignores data, drains on
     * writability and cuts off a peer that reads nothing for {@link #WEBSOCKET_WRITE_TIMEOUT_MILLIS}.
     */
    private static final class WebSocketSide extends SimpleChannelInboundHandler<WebSocketFrame> {

        private final FlvViewer viewer;
        private ScheduledFuture<?> tick;
        private long unwritableSinceNanos;

        WebSocketSide(FlvViewer viewer) {
            this.viewer = viewer;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            tick = ctx.executor().scheduleAtFixedRate(() -> {
                if (unwritableSinceNanos != 0 && System.nanoTime() - unwritableSinceNanos
                        > TimeUnit.MILLISECONDS.toNanos(WEBSOCKET_WRITE_TIMEOUT_MILLIS)) {
                    log.info("[{}] closed: WebSocket-FLV viewer did not read for {} ms", ctx.channel().remoteAddress(),
                            WEBSOCKET_WRITE_TIMEOUT_MILLIS);
                    ctx.close();
                }
            }, 1, 1, TimeUnit.SECONDS);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            tick.cancel(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof PingWebSocketFrame) {
                ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
            } else if (frame instanceof CloseWebSocketFrame) {
                ctx.close();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            unwritableSinceNanos = ctx.channel().isWritable() ? 0 : System.nanoTime();
            viewer.drain();
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.info("[{}] WebSocket-FLV closed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
