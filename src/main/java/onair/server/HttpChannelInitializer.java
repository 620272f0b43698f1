package onair.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedWriteHandler;
import onair.config.HttpServerConfig;
import onair.http.HttpRequestHandler;
import onair.http.LocationHandler;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The pipeline of one accepted HTTP connection, unless the connection limits refuse it: the byte counter of the
 * client it may become, TLS for an {@code ssl} listen, the HTTP/1.1 codec (request line up to
 * {@value #MAX_INITIAL_LINE} bytes, headers up to {@value #MAX_HEADER_SIZE}), chunked file writes and the request handler. A reload swaps the server block that
 * connections accepted afterwards are served with.
 */
final class HttpChannelInitializer extends ChannelInitializer<Channel> {

    static final int MAX_INITIAL_LINE = 4096;
    static final int MAX_HEADER_SIZE = 8192;
    static final int MAX_CONNECTIONS = 10_000;
    private static final long TLS_HANDSHAKE_TIMEOUT_MILLIS = 10_000;

    /** The settings of one listening address: its server block, the TLS context of an {@code ssl} listen, limits. */
    record Binding(HttpServerConfig config, SslContext ssl, ConnectionLimits limits,
            Map<LocationHandler.Kind, LocationHandler> handlers) {}

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
        channel.pipeline().addLast(new TrafficCounter());
        if (current.ssl() != null) {
            SslHandler tls = current.ssl().newHandler(channel.alloc());
            tls.setHandshakeTimeoutMillis(TLS_HANDSHAKE_TIMEOUT_MILLIS);
            channel.pipeline().addLast(tls);
        }
        channel.pipeline().addLast(
            new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_INITIAL_LINE)
                .setMaxHeaderSize(MAX_HEADER_SIZE)
                .setMaxChunkSize(8192)),
            new ChunkedWriteHandler(),
            new HttpRequestHandler(current.config(), current.handlers()));
    }
}
