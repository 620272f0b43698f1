package onair.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import onair.config.RtmpServerConfig;
import onair.live.RtmpSession;
import onair.rtmp.chunk.ChunkDecoder;
import onair.rtmp.chunk.ChunkEncoder;
import onair.rtmp.handshake.HandshakeHandler;
import onair.rtmp.message.RtmpMessageCodec;
import onair.stream.StreamRegistry;

/** The pipeline of one accepted RTMP connection: handshake, then chunks, then messages, then the session. */
final class RtmpChannelInitializer extends ChannelInitializer<Channel> {

    private final RtmpServerConfig config;
    private final StreamRegistry registry;
    private final ChannelGroup connections;

    RtmpChannelInitializer(RtmpServerConfig config, StreamRegistry registry, ChannelGroup connections) {
        this.config = config;
        this.registry = registry;
        this.connections = connections;
    }

    @Override
    protected void initChannel(Channel channel) {
        connections.add(channel);
        channel.pipeline().addLast(
            new HandshakeHandler(),
            new ChunkDecoder(config.maxMessage(), config.maxStreams(), ChunkDecoder.DEFAULT_MAX_CHUNK_SIZE),
            new ChunkEncoder(),
            new RtmpMessageCodec(),
            new RtmpSession(config, registry));
    }
}
