package onair.rtmpserver;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import onair.config.ApplicationConfig;
import onair.config.RtmpServerConfig;
import onair.lifecycle.ConnectEvent;
import onair.lifecycle.Lifecycle;
import onair.lifecycle.Decision;
import onair.lifecycle.Peer;
import onair.rtmp.RtmpProtocolException;
import onair.rtmp.chunk.ChunkDecoder;
import onair.rtmp.command.Capabilities;
import onair.rtmp.command.CloseStream;
import onair.rtmp.command.Command;
import onair.rtmp.command.Connect;
import onair.rtmp.command.CreateStream;
import onair.rtmp.command.DeleteStream;
import onair.rtmp.command.FcUnpublish;
import onair.rtmp.command.GetStreamLength;
import onair.rtmp.command.Ignored;
import onair.rtmp.command.Pause;
import onair.rtmp.command.Play;
import onair.rtmp.command.Publish;
import onair.rtmp.command.ReceiveAudio;
import onair.rtmp.command.ReceiveVideo;
import onair.rtmp.command.Responses;
import onair.rtmp.command.Seek;
import onair.rtmp.command.Status;
import onair.rtmp.command.Unknown;
import onair.rtmp.message.Abort;
import onair.rtmp.message.AckWindow;
import onair.rtmp.message.Acknowledgement;
import onair.rtmp.message.CommandMessage;
import onair.rtmp.message.DataMessage;
import onair.rtmp.message.MediaMessage;
import onair.rtmp.message.RtmpMessage;
import onair.rtmp.message.RtmpMessageCodec;
import onair.rtmp.message.SetChunkSize;
import onair.rtmp.message.SetPeerBandwidth;
import onair.rtmp.message.UserControl;
import onair.rtmp.message.WindowAcknowledgementSize;
import onair.stream.Client;
import onair.stream.FrameQueue;
import onair.stream.LiveStream;
import onair.stream.StreamRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * One RTMP connection after the handshake: answers NetConnection commands (RTMP spec §7.2.1) as nginx-rtmp does and
 * hands NetStream commands to its {@link NetStream}s, which publish into a {@link LiveStream} or play one. Connects,
 * publishes and plays go on once the {@link Lifecycle} listeners allow them ({@link DecisionGate}). Runs on the
 * connection's event loop only; logs one line when the connection opens and one when it closes.
 */
public final class RtmpSession extends SimpleChannelInboundHandler<RtmpMessage> {

    private static final Logger log = LoggerFactory.getLogger(RtmpSession.class);
    static final int PLAYER_QUEUE_FRAMES = 2048;
    static final long PLAYER_QUEUE_BYTES = 32L << 20;
    private static final long CLOSE_FLUSH_MILLIS = 2000;
    /** What Onair answers a client that announces Enhanced RTMP capabilities. */
    static final Capabilities CAPABILITIES = Capabilities.forwarder(
        Capabilities.RECONNECT | Capabilities.MULTITRACK | Capabilities.MOD_EX);

    private RtmpServerConfig config;
    private final StreamRegistry registry;
    private final Lifecycle lifecycle;
    private final MaxConnections maxConnections;
    private final Client client;
    private final Map<Integer, NetStream> streams = new HashMap<>();
    private final DecisionGate gate = new DecisionGate(this);
    private final Keepalive keepalive = new Keepalive(this);
    private final Updates updates = new Updates(this);
    private final AckWindow ackWindow = new AckWindow();
    private ChannelHandlerContext ctx;
    private ChunkDecoder chunks;
    private Peer peer;
    private String label;
    private ApplicationConfig app;
    private int nextStreamId = 1;
    private long epochMillis;
    private String closeReason;
    private volatile Capabilities capabilities = Capabilities.NONE;

    public RtmpSession(RtmpServerConfig config, StreamRegistry registry, Lifecycle lifecycle,
            MaxConnections maxConnections, Client client) {
        this.config = config;
        this.registry = registry;
        this.lifecycle = lifecycle;
        this.maxConnections = maxConnections;
        this.client = client;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.chunks = ctx.pipeline().get(ChunkDecoder.class);
        this.label = "[conn " + client.id() + " " + ctx.channel().remoteAddress() + "]";
        client.control(new SessionControl(this));
        epochMillis = TimeUnit.NANOSECONDS.toMillis(keepalive.start(ctx)) & 0xFFFF_FFFFL;
        log.info("{} opened", label);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        keepalive.stop();
        for (NetStream stream : List.copyOf(streams.values())) {
            stream.end();
        }
        streams.clear();
        gate.release();
        if (app != null) {
            maxConnections.leave(app);
            lifecycle.onDisconnect(new ConnectEvent(config.admission(), peer));
        }
        log.info("{} closed: {}", label, closeReason == null ? "peer closed the connection" : closeReason);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable reason = cause instanceof RtmpProtocolException || cause.getCause() == null ? cause : cause.getCause();
        if (reason instanceof SSLException) {
            abort("TLS error: " + TlsFailure.reason(reason));
            return;
        }
        if (reason instanceof IOException) {
            String message = String.valueOf(reason.getMessage());
            abort("connection error: " + message.substring(message.lastIndexOf(": ") + 1).strip());
            return;
        }
        if (!(reason instanceof RtmpProtocolException)) {
            log.warn("{} unexpected error", label, reason);
        }
        close("error: " + (reason instanceof RtmpProtocolException ? reason.getMessage()
            : reason.getClass().getSimpleName() + ": " + reason.getMessage()));
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            for (NetStream stream : streams.values()) {
                stream.drain();
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof Shutdown) {
            closeReason = "server shutting down";
            for (NetStream stream : streams.values()) {
                stream.endPublishing();
            }
            return;
        }
        if (event instanceof Reload(RtmpServerConfig server)) {
            if (app == null) {
                config = server;
            } else if (server.application(app.name()).filter(ApplicationConfig::accepts).isEmpty()) {
                close("application \"" + app.name() + "\" removed by reload");
            }
            return;
        }
        if (event instanceof SslHandshakeCompletionEvent handshake) {
            keepalive.onTlsHandshake();
            if (!handshake.isSuccess() && closeReason == null) {
                closeReason = "TLS handshake failed: " + TlsFailure.reason(handshake.cause());
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    /** Asks a session to end its publications before the server closes every connection. */
    public enum Shutdown { INSTANCE }

    /**
     * Tells a session its listener's server now has these settings: a session not yet connected adopts them, a
     * connected one keeps its own unless its application is gone, which closes it.
     */
    public record Reload(RtmpServerConfig server) {}

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, RtmpMessage message) {
        keepalive.onRead();
        if (!gate.hold(message)) {
            handle(message);
        }
    }

    void handle(RtmpMessage message) {
        switch (message) {
            case MediaMessage media -> created(media.streamId()).ifPresent(stream -> stream.onMedia(media));
            case DataMessage data -> created(data.streamId()).ifPresent(stream -> stream.onData(data));
            case CommandMessage command -> onCommand(Command.parse(command));
            case UserControl control -> onUserControl(control);
            case WindowAcknowledgementSize window -> ackWindow.resize(window.size());
            case SetChunkSize ignored -> { }
            case Abort ignored -> { }
            case Acknowledgement ignored -> { }
            case SetPeerBandwidth ignored -> { }
        }
        acknowledge();
    }

    private void acknowledge() {
        Acknowledgement due = ackWindow.acknowledge(chunks.bytesReceived());
        if (due != null) {
            ctx.writeAndFlush(due, ctx.voidPromise());
        }
    }

    void onCommand(Command command) {
        switch (command) {
            case Connect connect -> connect(connect);
            case CreateStream create -> createStream(create);
            case Publish publish -> netStream(publish.streamId(), publish.commandName()).publish(publish);
            case Play play -> netStream(play.streamId(), play.commandName()).play(play);
            case DeleteStream delete -> deleteStream(delete);
            case CloseStream close -> netStream(close.streamId(), close.commandName()).end(true);
            case FcUnpublish unpublish -> unpublishByName(unpublish);
            case Pause pause -> netStream(pause.streamId(), pause.commandName()).pause(pause.pause());
            case Seek seek -> netStream(seek.streamId(), seek.commandName()).seek(seek.milliseconds());
            case ReceiveAudio audio -> player(audio.streamId(), audio.commandName()).receiveAudio(audio.receive());
            case ReceiveVideo video -> player(video.streamId(), video.commandName()).receiveVideo(video.receive());
            case GetStreamLength length -> ctx.writeAndFlush(Responses.result(length.transactionId(), null, 0.0));
            case Ignored ignored -> { }
            case Unknown unknown -> log.debug("{} ignores command {}", label, unknown.commandName());
        }
    }

    private void connect(Connect connect) {
        if (app != null) {
            throw new RtmpProtocolException("connect sent twice");
        }
        StreamName requested = StreamName.parse(connect.app());
        InetAddress address = ctx.channel().remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
        peer = new Peer(client.id(), address, appName(requested.key()), connect.flashVer(), connect.swfUrl(),
            connect.tcUrl(), connect.pageUrl(), requested.query(), epochMillis);
        gate.decide(lifecycle.onConnect(new ConnectEvent(config.admission(), peer)), decision -> {
            if (!decision.allowed()) {
                rejectConnect(connect, decision);
            } else {
                if (decision.verdict() == Decision.Verdict.REDIRECT) {
                    peer = peer.withApp(appName(decision.location()));
                }
                accept(connect);
            }
        });
    }

    private void accept(Connect connect) {
        String appName = peer.app();
        ApplicationConfig found = config.application(appName).orElse(null);
        if (found == null || !found.accepts()) {
            rejectConnect(connect, Decision.reject("connect to unknown application \"" + appName + "\""));
            return;
        }
        if (!maxConnections.enter(found)) {
            rejectConnect(connect, Decision.reject("max_connections " + found.admission().maxConnections()
                + " reached for application \"" + appName + "\""));
            return;
        }
        app = found;
        ctx.write(new WindowAcknowledgementSize(config.ackWindow()));
        ctx.write(new SetPeerBandwidth(config.ackWindow(), 2));
        ctx.write(new SetChunkSize(config.chunkSize()));
        capabilities = connect.capabilities();
        ctx.writeAndFlush(Responses.connectResult(connect, CAPABILITIES));
        client.connected(appName, connect.flashVer(), connect.swfUrl(), connect.tcUrl(), connect.pageUrl());
        log.info("{} connect app={} flashVer={} tcUrl={}{}", label, appName, connect.flashVer(), connect.tcUrl(),
            capabilities.announced() ? " fourCcList=" + capabilities.fourCcList() + " capsEx=" + capabilities.capsEx()
                : "");
    }

    private void rejectConnect(Connect connect, Decision refusal) {
        Map<String, Object> info = Responses.info(Status.CONNECT_REJECTED);
        info.put("description", "Connection rejected: " + refusal.description());
        ctx.write(Responses.error(connect.transactionId(), null, info));
        close(refusal.reason());
    }

    private static String appName(String app) {
        String name = app;
        while (name.endsWith("/")) {
            name = name.substring(0, name.length() - 1);
        }
        return name;
    }

    private void createStream(CreateStream create) {
        if (app == null) {
            throw new RtmpProtocolException(create.commandName() + " before connect");
        }
        if (streams.size() >= config.maxStreams()) {
            throw new RtmpProtocolException("more than " + config.maxStreams() + " NetStreams");
        }
        int streamId = nextStreamId++;
        streams.put(streamId, new NetStream(streamId, this));
        ctx.writeAndFlush(Responses.result(create.transactionId(), null, (double) streamId));
    }

    /** A player for NetStream {@code streamId} that starts at a keyframe when {@code waitKey}. */
    RtmpPlayer newPlayer(int streamId, boolean waitKey) {
        return new RtmpPlayer(ctx.pipeline().context(RtmpMessageCodec.class), client, streamId, app,
            new FrameQueue(PLAYER_QUEUE_FRAMES, PLAYER_QUEUE_BYTES, waitKey, app.waitVideo()),
            capabilities.has(Capabilities.MULTITRACK), config.mergeWindow());
    }

    private void deleteStream(DeleteStream delete) {
        NetStream stream = streams.remove(delete.deletedStreamId());
        if (stream != null) {
            stream.end();
        }
    }

    private void unpublishByName(FcUnpublish unpublish) {
        if (app == null) {
            return;
        }
        String key = StreamName.parse(unpublish.name()).key();
        for (NetStream stream : streams.values()) {
            if (stream.state() instanceof NetStream.Publishing publishing && publishing.key().name().equals(key)) {
                stream.end();
            }
        }
    }

    private void onUserControl(UserControl control) {
        if (control.event() == UserControl.Event.PING_REQUEST) {
            ctx.writeAndFlush(UserControl.pingResponse(control.eventData()));
        }
    }

    /** Flushes what is already written, then closes; a peer that does not take the flush is cut off after a bound. */
    void close(String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        ctx.executor().schedule(() -> ctx.close(), CLOSE_FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Closes at once, dropping unsent output: for a peer that stopped reading. */
    void abort(String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        ctx.close();
    }

    private NetStream netStream(int streamId, String command) {
        if (app == null) {
            throw new RtmpProtocolException(command + " before connect");
        }
        NetStream stream = streams.get(streamId);
        if (stream == null) {
            throw new RtmpProtocolException(command + " on stream " + streamId + " that was not created");
        }
        return stream;
    }

    private RtmpPlayer player(int streamId, String command) {
        NetStream stream = netStream(streamId, command);
        RtmpPlayer player = stream.player();
        if (player == null) {
            throw new RtmpProtocolException(command + " on stream " + stream.id + " that is not playing");
        }
        return player;
    }

    /** The NetStream {@code streamId} if it was created. */
    private Optional<NetStream> created(int streamId) {
        return Optional.ofNullable(streams.get(streamId));
    }

    ChannelHandlerContext ctx() {
        return ctx;
    }

    RtmpServerConfig config() {
        return config;
    }

    /** The application connected to, or null before a connect is accepted. */
    ApplicationConfig app() {
        return app;
    }

    Peer peer() {
        return peer;
    }

    /** The Enhanced RTMP capabilities the client's connect announced; none before connect. */
    Capabilities capabilities() {
        return capabilities;
    }

    Lifecycle lifecycle() {
        return lifecycle;
    }

    StreamRegistry registry() {
        return registry;
    }

    Client client() {
        return client;
    }

    Updates updates() {
        return updates;
    }

    DecisionGate gate() {
        return gate;
    }

    Collection<NetStream> streams() {
        return streams.values();
    }

    /** Whether the connection has begun to close. */
    boolean closing() {
        return closeReason != null;
    }

    @Override
    public String toString() {
        return label;
    }
}
