package onair.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import onair.config.RtmpServerConfig;
import onair.live.RtmpSession;
import onair.rtmp.chunk.ChunkDecoder;
import onair.rtmp.chunk.ChunkEncoder;
import onair.rtmp.handshake.HandshakeHandler;
import onair.rtmp.message.RtmpMessageCodec;
import onair.stream.StreamRegistry;

/**
 * The pipeline of one accepted RTMP connection, unless its server's connection limits refuse it: TLS for an {@code ssl}
 * listen, then handshake, chunks, messages and the session.
 */
final class RtmpChannelInitializer extends ChannelInitializer<Channel> {

    private final RtmpServerConfig config;
    private final StreamRegistry registry;
    private final ChannelGroup connections;
    private final SslContext ssl;
    private final ConnectionLimits limits;

    RtmpChannelInitializer(RtmpServerConfig config, StreamRegistry registry, ChannelGroup connections, SslContext ssl,
            ConnectionLimits limits) {
        this.config = config;
        this.limits = limits;
        this.registry = registry;
        this.connections = connections;
        this.ssl = ssl;
    }

    @Override
    protected void initChannel(Channel channel) {
        if (!limits.admit(channel)) {
            return;
        }
        connections.add(channel);
        if (ssl != null) {
            SslHandler tls = ssl.newHandler(channel.alloc());
            tls.setHandshakeTimeoutMillis(config.timeout().toMillis());
            channel.pipeline().addLast(tls);
        }
        channel.pipeline().addLast(
            new HandshakeHandler(),
            new ChunkDecoder(config.maxMessage(), config.maxStreams(), ChunkDecoder.DEFAULT_MAX_CHUNK_SIZE),
            new ChunkEncoder(),
            new RtmpMessageCodec(),
            new RtmpSession(config, registry));
    }
}
