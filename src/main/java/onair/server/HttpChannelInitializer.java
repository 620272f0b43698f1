package onair.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import onair.config.HttpServerConfig;
import onair.http.HttpRequestHandler;
import onair.http.LocationHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The pipeline of one accepted HTTP connection, unless the connection limits refuse it: the byte counter of the
 * client it may become, TLS for an {@code ssl} listen, then HTTP/1.1 (request line up to {@value #MAX_INITIAL_LINE}
 * bytes, headers up to {@value #MAX_HEADER_SIZE}), chunked file writes and the request handler. On a
 * {@code listen … http2} address HTTP/2 is chosen by ALPN under TLS or by its preface without it (RFC 9113 §3), each
 * stream getting the same request handler, at most {@value #MAX_STREAMS} at once. A reload swaps the server block
 * that connections accepted afterwards are served with.
 */
final class HttpChannelInitializer extends ChannelInitializer<Channel> {

    private static final Logger log = LoggerFactory.getLogger(HttpChannelInitializer.class);

    static final int MAX_INITIAL_LINE = 4096;
    static final int MAX_HEADER_SIZE = 8192;
    static final int MAX_CONNECTIONS = 10_000;
    static final int MAX_STREAMS = 100;
    private static final long TLS_HANDSHAKE_TIMEOUT_MILLIS = 10_000;
    private static final long HTTP2_IDLE_SECONDS = 30;

    /**
     * The settings of one listening address: its server block, the TLS context of an {@code ssl} listen (offering
     * {@code h2} by ALPN when {@code http2}), limits, and whether HTTP/2 is served beside HTTP/1.1.
     */
    record Binding(HttpServerConfig config, SslContext ssl, ConnectionLimits limits,
            Map<LocationHandler.Kind, LocationHandler> handlers, boolean http2) {}

    private final AtomicReference<Binding> binding;
    private final ChannelGroup connections;

    HttpChannelInitializer(Binding binding, ChannelGroup connections) {
        this.binding = new AtomicReference<>(binding);
        this.connections = connections;
    }

    void rebind(Binding binding) {
        this.binding.set(binding);
    }

    @Override
    protected void initChannel(Channel channel) {
        Binding current = binding.get();
        if (!current.limits().admit(channel)) {
            return;
        }
        connections.add(channel);
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast(new TrafficCounter());
        if (current.ssl() != null) {
            SslHandler tls = current.ssl().newHandler(channel.alloc());
            tls.setHandshakeTimeoutMillis(TLS_HANDSHAKE_TIMEOUT_MILLIS);
            pipeline.addLast(tls);
        }
        if (!current.http2()) {
            http1(pipeline, current);
        } else if (current.ssl() != null) {
            pipeline.addLast(new Negotiation(current));
        } else {
            pipeline.addLast(new Http2Preface((ctx, http2) -> {
                if (http2) {
                    http2(ctx, current);
                } else {
                    http1(ctx.pipeline(), current);
                }
            }));
        }
    }

    private static void http1(ChannelPipeline pipeline, Binding binding) {
        pipeline.addLast(
            new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_INITIAL_LINE)
                .setMaxHeaderSize(MAX_HEADER_SIZE)
                .setMaxChunkSize(8192)),
            new ChunkedWriteHandler(),
            new HttpRequestHandler(binding.config(), binding.handlers()));
    }

    /**
     * HTTP/2 after {@code ctx}'s handler: the frame codec, an idle timeout for the connection, and one child channel per
     * stream that sees HTTP/1.1 objects and counts its own DATA bytes, so that each HTTP-FLV viewer of a connection has
     * the bytes of its stream.
     */
    private static void http2(ChannelHandlerContext ctx, Binding binding) {
        Http2Settings settings = Http2Settings.defaultSettings()
            .maxConcurrentStreams(MAX_STREAMS)
            .maxHeaderListSize(MAX_HEADER_SIZE);
        String name = ctx.name();
        ctx.pipeline().addAfter(name, null, new IdleClose());
        ctx.pipeline().addAfter(name, null, new IdleStateHandler(0, 0, HTTP2_IDLE_SECONDS, TimeUnit.SECONDS));
        ctx.pipeline().addAfter(name, null, Http2FrameCodecBuilder.forServer().initialSettings(settings).build());
        ctx.pipeline().addLast(new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                stream.pipeline().addLast(
                    new TrafficCounter(),
                    new Http2StreamFrameToHttpObjectCodec(true),
                    new ChunkedWriteHandler(),
                    new HttpRequestHandler(binding.config(), binding.handlers()));
            }
        }));
    }

    /** ALPN's choice after the TLS handshake: {@code h2} or HTTP/1.1. */
    private static final class Negotiation extends ApplicationProtocolNegotiationHandler {

        private final Binding binding;

        Negotiation(Binding binding) {
            super(ApplicationProtocolNames.HTTP_1_1);
            this.binding = binding;
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                http2(ctx, binding);
            } else {
                http1(ctx.pipeline(), binding);
            }
        }

        @Override
        protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
            log.info("[{}] closed: TLS handshake failed: {}", ctx.channel().remoteAddress(), cause.getMessage());
            ctx.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.info("[{}] closed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    /** Closes an HTTP/2 connection that has sent and received nothing for {@link #HTTP2_IDLE_SECONDS}. */
    private static final class IdleClose extends ChannelDuplexHandler {

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof IdleStateEvent) {
                log.info("[{}] closed: HTTP/2 connection idle for {} s", ctx.channel().remoteAddress(),
                        HTTP2_IDLE_SECONDS);
                ctx.close();
            } else {
                ctx.fireUserEventTriggered(event);
            }
        }
    }
}
