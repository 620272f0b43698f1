package onair.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import onair.config.RtmpServerConfig;
import onair.rtmpserver.RtmpSession;
import onair.lifecycle.Lifecycle;
import onair.rtmpserver.MaxConnections;
import onair.rtmp.chunk.ChunkDecoder;
import onair.rtmp.chunk.ChunkEncoder;
import onair.rtmp.handshake.HandshakeHandler;
import onair.rtmp.message.RtmpMessageCodec;
import onair.stream.Client;
import onair.stream.Clients;
import onair.stream.StreamRegistry;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The pipeline of one accepted RTMP connection, unless its server's connection limits refuse it: TLS for an {@code ssl}
 * listen, then handshake, chunks, messages and the session. A reload swaps the server settings that connections
 * accepted afterwards start with.
 */
final class RtmpChannelInitializer extends ChannelInitializer<Channel> {

    /**
     * The settings of one listening address: its server block, for an {@code ssl} listen the TLS context, and the
     * connection limits its server block shares across its listens, and the index of its server block.
     */
    record Binding(RtmpServerConfig config, SslContext ssl, ConnectionLimits limits, int server) {}

    private final AtomicReference<Binding> binding;
    private final StreamRegistry registry;
    private final Lifecycle lifecycle;
    private final MaxConnections maxConnections;
    private final ChannelGroup connections;
    private final Clients clients;

    RtmpChannelInitializer(Binding binding, StreamRegistry registry, Lifecycle lifecycle, MaxConnections maxConnections,
            ChannelGroup connections, Clients clients) {
        this.binding = new AtomicReference<>(binding);
        this.registry = registry;
        this.lifecycle = lifecycle;
        this.maxConnections = maxConnections;
        this.connections = connections;
        this.clients = clients;
    }

    void rebind(Binding binding) {
        this.binding.set(binding);
    }

    RtmpServerConfig config() {
        return binding.get().config();
    }

    @Override
    protected void initChannel(Channel channel) {
        Binding current = binding.get();
        RtmpServerConfig config = current.config();
        if (!current.limits().admit(channel)) {
            return;
        }
        connections.add(channel);
        Client client = clients.open(current.ssl() != null ? Client.Protocol.RTMPS : Client.Protocol.RTMP,
            channel.remoteAddress(), current.server());
        channel.closeFuture().addListener(closed -> clients.close(client));
        channel.pipeline().addLast(new TrafficCounter(client));
        if (current.ssl() != null) {
            SslHandler tls = current.ssl().newHandler(channel.alloc());
            tls.setHandshakeTimeoutMillis(config.timeout().toMillis());
            channel.pipeline().addLast(tls);
        }
        channel.pipeline().addLast(
            new HandshakeHandler(),
            new ChunkDecoder(config.maxMessage(), config.maxStreams(), ChunkDecoder.DEFAULT_MAX_CHUNK_SIZE),
            new ChunkEncoder(),
            new RtmpMessageCodec(),
            new RtmpSession(config, registry, lifecycle, maxConnections, client));
    }
}
