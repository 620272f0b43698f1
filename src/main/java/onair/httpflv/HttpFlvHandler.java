package onair.httpflv;

import io.netty.buffer.ByteBuf;
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
import onair.lifecycle.Decision;
import onair.lifecycle.DoneEvent;
import onair.lifecycle.Lifecycle;
import onair.lifecycle.Peer;
import onair.lifecycle.PlayEvent;
import onair.stream.Client;
import onair.stream.Clients;
import onair.stream.FrameQueue;
import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.stream.StreamRegistry;
import onair.stream.StreamStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Plays live streams over HTTP as FLV, like nginx-http-flv-module: in a {@code flv_live on} location, the location
 * path's last segment names the RTMP application and the file name the stream ({@code GET /live/KEY.flv}), or the
 * query does ({@code ?app=APP&stream=KEY}). The response is chunked FLV: header, then metadata, sequence headers and
 * the GOP cache, then live tags; the publisher leaving ends it. With {@code Upgrade: websocket} the same bytes go in
 * binary WebSocket messages (WebSocket-FLV, as mpegts.js plays it). A viewer is a {@link Client} of the rtmp server
 * block its application is taken from (the publisher's, see {@link ServerConfig#application(String, Client)}); it
 * is fired as a user event at the pipeline's head, where the connection's byte counter takes it. A play is admitted
 * by the {@link Lifecycle} listeners ({@code allow/deny play}, {@code on_play}) as nginx-http-flv-module does it:
 * flashver {@code flv_live 1.1}, tcurl {@code http://HOST/APP}, the request's query as the play arguments, start,
 * duration and reset 0; a refusal is a 403, and the end of the play is an {@code on_play_done}.
 */
public final class HttpFlvHandler implements LocationHandler {

    private static final Logger log = LoggerFactory.getLogger(HttpFlvHandler.class);

    static final int VIEWER_QUEUE_FRAMES = 2048;
    static final long VIEWER_QUEUE_BYTES = 32L << 20;
    static final long WEBSOCKET_WRITE_TIMEOUT_MILLIS = 30_000;
    private static final int MAX_WEBSOCKET_FRAME = 64 << 10;
    /** The {@code flashver} nginx-http-flv-module gives HTTP-FLV viewers in callbacks and stat. */
    static final String FLASHVER = "flv_live 1.1";

    private final Clients clients;
    private final StreamRegistry registry;
    private final Supplier<ServerConfig> config;
    private final Lifecycle lifecycle;

    public HttpFlvHandler(StreamRegistry registry, Supplier<ServerConfig> config, Clients clients,
            Lifecycle lifecycle) {
        this.registry = registry;
        this.config = config;
        this.clients = clients;
        this.lifecycle = lifecycle;
    }

    @Override
    public void handle(HttpExchange exchange) {
        StreamKey key = key(exchange);
        if (key == null) {
            exchange.refuse(HttpResponseStatus.NOT_FOUND, "no stream named in " + exchange.path());
            return;
        }
        ServerConfig current = config.get();
        Client publisher = registry.find(key).flatMap(LiveStream::publisher).orElse(null);
        Optional<ApplicationConfig> found = current.application(key.app(), publisher);
        if (found.isEmpty()) {
            exchange.refuse(HttpResponseStatus.NOT_FOUND, "unknown application \"" + key.app() + "\"");
            return;
        }
        ApplicationConfig app = found.get();
        int server = publisher != null && publisher.server() >= 0 ? publisher.server()
                : current.server(key.app()).orElseThrow();
        if (!app.idleStreams() && !isLive(key)) {
            exchange.refuse(HttpResponseStatus.NOT_FOUND, "stream \"" + key + "\" is not published (idle_streams off)");
            return;
        }
        if (exchange.isHead()) {
            HttpResponse head = streamHead();
            head.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
            exchange.respond(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.OK, Unpooled.EMPTY_BUFFER, head.headers(), EmptyHttpHeaders.INSTANCE));
            return;
        }
        boolean webSocket = exchange.request().headers()
                .containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
        Channel channel = exchange.channel();
        Client client = clients.open(Client.Protocol.HTTP_FLV, channel.remoteAddress(), server);
        String args = query(exchange.request().uri());
        String tcurl = "http://" + exchange.request().headers().get(HttpHeaderNames.HOST, "localhost") + "/"
                + key.app();
        client.connected(key.app(), FLASHVER, "", tcurl, "");
        InetAddress address = exchange.remoteAddress() == null ? null : exchange.remoteAddress().getAddress();
        Peer peer = new Peer(client.id(), address, key.app(), FLASHVER, "", tcurl, "", args, 0);
        CompletableFuture<Decision> decision = lifecycle.onPlay(new PlayEvent(app, peer, key.name(), args, 0, 0,
                false)).toCompletableFuture();
        Viewing viewing = new Viewing(app, peer, client, args, webSocket ? "websocket-flv" : "http-flv");
        if (decision.isDone()) {
            admitted(exchange, key, viewing, decision.join());
        } else {
            decision.whenComplete((made, failure) -> channel.eventLoop().execute(() -> admitted(exchange, key,
                    viewing, failure == null ? made : Decision.reject("on_play failed: " + failure))));
        }
    }

    /**
     * What a viewer plays and as whom: the application, the peer its callbacks describe, its {@link Client}, the
     * request's query as the play arguments, and the protocol's log name.
     */
    private record Viewing(ApplicationConfig app, Peer peer, Client client, String args, String protocol) {}

    private void admitted(HttpExchange exchange, StreamKey requested, Viewing viewing, Decision decision) {
        Channel channel = exchange.channel();
        if (!channel.isActive()) {
            clients.close(viewing.client());
            return;
        }
        if (!decision.allowed()) {
            refuse(exchange, viewing, HttpResponseStatus.FORBIDDEN, "play denied: " + decision.reason());
            return;
        }
        StreamKey key = requested;
        if (decision.verdict() == Decision.Verdict.REDIRECT) {
            String location = decision.location();
            if (location.contains("://")) {
                refuse(exchange, viewing, HttpResponseStatus.FORBIDDEN, "on_play redirect to " + location
                        + ": HTTP-FLV plays follow a redirect to a stream name, not to a relay URL");
                return;
            }
            int query = location.indexOf('?');
            key = new StreamKey(requested.app(), query < 0 ? location : location.substring(0, query));
            if (!viewing.app().idleStreams() && !isLive(key)) {
                refuse(exchange, viewing, HttpResponseStatus.NOT_FOUND,
                        "stream \"" + key + "\" is not published (idle_streams off)");
                return;
            }
        }
        if (viewing.protocol().equals("websocket-flv")) {
            webSocket(exchange, key, viewing);
            return;
        }
        exchange.startStream(streamHead());
        LiveStream stream = registry.stream(key, viewing.app().liveOptions());
        channel.write(new DefaultHttpContent(flvHeader(stream)));
        FlvViewer viewer = new FlvViewer(channel, queue(viewing.app()), DefaultHttpContent::new, exchange::endStream);
        exchange.onWritabilityChanged(viewer::drain);
        play(channel, stream, viewer, viewing);
    }

    private void webSocket(HttpExchange exchange, StreamKey key, Viewing viewing) {
        HttpRequest request = exchange.request();
        Channel channel = exchange.channel();
        String scheme = channel.pipeline().get(SslHandler.class) == null ? "ws://" : "wss://";
        String url = scheme + request.headers().get(HttpHeaderNames.HOST, "localhost") + request.uri();
        WebSocketServerHandshaker handshaker =
                new WebSocketServerHandshakerFactory(url, null, false, MAX_WEBSOCKET_FRAME).newHandshaker(request);
        if (handshaker == null) {
            refuse(exchange, viewing, HttpResponseStatus.UPGRADE_REQUIRED, "unsupported WebSocket version");
            return;
        }
        exchange.detach();
        DefaultFullHttpRequest full = new DefaultFullHttpRequest(request.protocolVersion(), request.method(),
                request.uri(), Unpooled.EMPTY_BUFFER, request.headers(), EmptyHttpHeaders.INSTANCE);
        LiveStream stream = registry.stream(key, viewing.app().liveOptions());
        handshaker.handshake(channel, full).addListener(done -> {
            if (!done.isSuccess()) {
                log.info("[{}] WebSocket handshake for {} failed: {}", channel.remoteAddress(), key, done.cause());
                clients.close(viewing.client());
                channel.close();
                return;
            }
            FlvViewer viewer = new FlvViewer(channel, queue(viewing.app()), BinaryWebSocketFrame::new,
                    () -> channel.writeAndFlush(new CloseWebSocketFrame(1000, "publisher left"))
                            .addListener(ChannelFutureListener.CLOSE));
            channel.pipeline().addLast(new WebSocketSide(viewer));
            channel.write(new BinaryWebSocketFrame(flvHeader(stream)));
            play(channel, stream, viewer, viewing);
        });
    }

    private void play(Channel channel, LiveStream stream, FlvViewer viewer, Viewing viewing) {
        StreamKey key = stream.key();
        String protocol = viewing.protocol();
        Client client = viewing.client();
        channel.pipeline().fireUserEventTriggered(client);
        client.started(false, key.name(), viewing.args());
        client.control(new ViewerControl(channel, protocol));
        viewer.client(client);
        viewer.subscription(stream.subscribe(viewer));
        channel.flush();
        viewer.drain();
        log.info("[{}] {} play {}", channel.remoteAddress(), protocol, key);
        lifecycle.onPlayStarted(new PlayEvent(viewing.app(), viewing.peer(), key.name(), viewing.args(), 0, 0, false));
        channel.closeFuture().addListener(closed -> {
            viewer.close();
            clients.close(client);
            lifecycle.onPlayDone(new DoneEvent(viewing.app(), viewing.peer(), key.name(), viewing.args(),
                    client.bytesIn(), client.bytesOut()));
            log.info("[{}] {} play {} ended, {} frames dropped", channel.remoteAddress(), protocol, key,
                    viewer.droppedFrames());
        });
    }

    /** Refuses a play whose viewer was already counted as a client, and uncounts it. */
    private void refuse(HttpExchange exchange, Viewing viewing, HttpResponseStatus status, String reason) {
        clients.close(viewing.client());
        exchange.refuse(status, reason);
    }

    private boolean isLive(StreamKey key) {
        return registry.find(key).map(LiveStream::isLive).orElse(false);
    }

    private static HttpResponse streamHead() {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "video/x-flv");
        head.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        return head;
    }

    /** The raw query of {@code uri}, as sent: the play arguments nginx-http-flv-module passes to callbacks. */
    private static String query(String uri) {
        int at = uri.indexOf('?');
        return at < 0 ? "" : uri.substring(at + 1);
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

    /**
     * The stream a request names: app from the location's last segment and the file name, or from the query; with
     * {@code track=N}, the rendition {@code NAME/N} of a multitrack stream.
     */
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
        String track = exchange.parameter("track");
        return new StreamKey(app, track != null && track.matches("[1-9][0-9]?") ? name + "/" + track : name);
    }

    private static ByteBuf flvHeader(LiveStream stream) {
        StreamStats stats = stream.stats();
        return FlvTag.header(stats.audio().codec().present(), stats.video().codec().present());
    }

    private static FrameQueue queue(ApplicationConfig app) {
        return new FrameQueue(VIEWER_QUEUE_FRAMES, VIEWER_QUEUE_BYTES, app.waitKey(), app.waitVideo());
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
