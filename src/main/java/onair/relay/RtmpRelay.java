package onair.relay;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.ScheduledFuture;
import onair.amf.Amf0;
import onair.media.MediaFrame;
import onair.output.ChannelSubscriber;
import onair.rtmp.chunk.ChunkDecoder;
import onair.rtmp.chunk.ChunkEncoder;
import onair.rtmp.command.Capabilities;
import onair.rtmp.handshake.ClientHandshakeHandler;
import onair.rtmp.handshake.HandshakeComplete;
import onair.rtmp.ingest.Ingest;
import onair.rtmp.message.AckWindow;
import onair.rtmp.message.Acknowledgement;
import onair.rtmp.message.CommandMessage;
import onair.rtmp.message.DataMessage;
import onair.rtmp.message.MediaMessage;
import onair.rtmp.message.RtmpMessage;
import onair.rtmp.message.RtmpMessageCodec;
import onair.rtmp.message.SetChunkSize;
import onair.rtmp.message.UserControl;
import onair.rtmp.message.WindowAcknowledgementSize;
import onair.stream.FrameQueue;
import onair.stream.LiveStream;
import onair.stream.Publication;
import onair.stream.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One relay connection to another RTMP server, made for an {@code rtmp://} redirect of {@code on_play} or
 * {@code on_publish} (nginx-rtmp reference §8.3) or for a {@code push} or {@code pull} line: a pull plays the remote
 * stream into a local {@link LiveStream} until the remote ends or no local player is left; a push publishes a local
 * stream there until its publisher leaves. A relay the remote has not started within 10 s ends; a relay never
 * retries itself ({@link PushTarget} and {@link PullRelay} do). A pull ingests what the remote sends as a client
 * publishing here is ingested ({@link Ingest}), and ends on what would close such a publisher, such as a data message
 * AMF0 cannot carry; its connect announces Enhanced RTMP capsEx Multitrack and ModEx, so a remote that serves
 * multitrack players sends every track. Runs on one event loop; logs one line when it starts and one when it ends.
 */
public final class RtmpRelay extends SimpleChannelInboundHandler<RtmpMessage> {

    private static final Logger log = LoggerFactory.getLogger(RtmpRelay.class);
    private static final int START_TIMEOUT_MILLIS = 10_000;
    private static final long IDLE_CHECK_MILLIS = 1000;
    private static final long CLOSE_TIMEOUT_MILLIS = 5000;
    private static final int MAX_MESSAGE = 16 << 20;
    private static final int QUEUE_FRAMES = 2048;
    private static final long QUEUE_BYTES = 32L << 20;

    /** What the relay's owner hears of it, on the relay's event loop. */
    public interface Events {

        /** No one to tell. */
        Events NONE = new Events() { };

        /** The remote answered {@code NetStream.Publish.Start} or {@code NetStream.Play.Start}. */
        default void started(RtmpRelay relay) {
        }

        /** The relay has ended, for {@code reason}. */
        default void ended(RtmpRelay relay, String reason) {
        }
    }

    private enum Direction { PULL, PUSH }

    private final Direction direction;
    private final Remote target;
    private final LiveStream local;
    private final int chunkSize;
    private final Events events;
    private final boolean idleEnds;
    private final AckWindow ackWindow = new AckWindow();
    private final OutboundBytes bytesOut = new OutboundBytes();
    private Channel channel;
    private volatile ChunkDecoder chunks;
    private int streamId;
    private Publication publication;
    private Subscription subscription;
    private volatile Pusher pusher;
    private EventLoop loop;
    private ScheduledFuture<?> idleCheck;
    private boolean started;
    private volatile String endReason;

    private RtmpRelay(Direction direction, Remote target, LiveStream local, int chunkSize, Events events,
            boolean idleEnds) {
        this.direction = direction;
        this.target = target;
        this.local = local;
        this.chunkSize = chunkSize;
        this.events = events;
        this.idleEnds = idleEnds;
    }

    /**
     * Plays {@code target} into {@code local}, which must not be live: its publication is taken now, so players
     * subscribe at once and get the remote frames when they arrive. Returns null when {@code local} is already live.
     */
    public static RtmpRelay pull(RelayTarget target, LiveStream local, Channel beside, int chunkSize) {
        return pull(Remote.of(target), local, beside.eventLoop(), beside.getClass(), null, chunkSize, Events.NONE,
            true);
    }

    /**
     * Like {@link #pull(RelayTarget, LiveStream, Channel, int)} to any remote, connecting on {@code loop} with
     * {@code channelType}, over TLS with {@code ssl} when it is not null; {@code idleEnds} ends it about a second
     * after the last local player left.
     */
    public static RtmpRelay pull(Remote target, LiveStream local, EventLoop loop, Class<? extends Channel> channelType,
            SslContext ssl, int chunkSize, Events events, boolean idleEnds) {
        RtmpRelay relay = new RtmpRelay(Direction.PULL, target, local, chunkSize, events, idleEnds);
        relay.publication = local.publish();
        if (relay.publication == null) {
            return null;
        }
        return relay.start(loop, channelType, ssl);
    }

    /** Publishes {@code local} (already live) to {@code target} until its publisher leaves or the remote ends. */
    public static RtmpRelay push(RelayTarget target, LiveStream local, Channel beside, int chunkSize) {
        return push(Remote.of(target), local, beside.eventLoop(), beside.getClass(), null, chunkSize, Events.NONE);
    }

    /** Like {@link #push(RelayTarget, LiveStream, Channel, int)} to any remote, as {@link #pull} connects. */
    public static RtmpRelay push(Remote target, LiveStream local, EventLoop loop, Class<? extends Channel> channelType,
            SslContext ssl, int chunkSize, Events events) {
        return new RtmpRelay(Direction.PUSH, target, local, chunkSize, events, false).start(loop, channelType, ssl);
    }

    private RtmpRelay start(EventLoop loop, Class<? extends Channel> channelType, SslContext ssl) {
        RtmpRelay relay = this;
        this.loop = loop;
        channel = new Bootstrap().group(loop).channel(channelType)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, START_TIMEOUT_MILLIS)
            .handler(new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel ch) {
                    if (ssl != null) {
                        ch.pipeline().addLast(ssl.newHandler(ch.alloc(), target.host(), target.address().getPort()));
                    }
                    ch.pipeline().addLast(bytesOut, new ClientHandshakeHandler(),
                        new ChunkDecoder(MAX_MESSAGE, 64, ChunkDecoder.DEFAULT_MAX_CHUNK_SIZE),
                        new ChunkEncoder(), new RtmpMessageCodec(), relay);
                }
            })
            .connect(target.address())
            .addListener((ChannelFutureListener) connected -> {
                if (!connected.isSuccess()) {
                    end("cannot connect: " + connected.cause().getMessage());
                }
            }).channel();
        log.info("[relay {} {}] started for {}", direction.name().toLowerCase(), target, local.key());
        loop.schedule(() -> {
            if (!started) {
                end("the remote did not start the stream within " + START_TIMEOUT_MILLIS + " ms");
            }
        }, START_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        return this;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        chunks = ctx.pipeline().get(ChunkDecoder.class);
        super.channelActive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof HandshakeComplete) {
            ctx.write(new SetChunkSize(chunkSize));
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("app", target.app());
            properties.put("type", "nonprivate");
            properties.put("flashVer", target.flashVer());
            if (target.swfUrl() != null) {
                properties.put("swfUrl", target.swfUrl());
            }
            properties.put("tcUrl", target.tcUrl());
            if (target.pageUrl() != null) {
                properties.put("pageUrl", target.pageUrl());
            }
            if (direction == Direction.PULL) {
                properties.put("capsEx", (double) (Capabilities.MULTITRACK | Capabilities.MOD_EX));
            }
            ctx.writeAndFlush(new CommandMessage(0, 0, "connect", 1, properties, List.of()));
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, RtmpMessage message) {
        switch (message) {
            case CommandMessage command -> onCommand(ctx, command);
            case MediaMessage media -> {
                if (publication != null) {
                    publication.send(Ingest.frame(media));
                }
            }
            case DataMessage data -> {
                if (publication != null) {
                    Ingest.data(data, Ingest.Meta.COPY, ctx.alloc(), publication::send, publication::sendMetadata);
                }
            }
            case WindowAcknowledgementSize window -> ackWindow.resize(window.size());
            case UserControl control when control.event() == UserControl.Event.PING_REQUEST ->
                ctx.writeAndFlush(UserControl.pingResponse(control.eventData()));
            default -> { }
        }
        Acknowledgement due = ackWindow.acknowledge(chunks.bytesReceived());
        if (due != null) {
            ctx.writeAndFlush(due);
        }
    }

    private void onCommand(ChannelHandlerContext ctx, CommandMessage command) {
        switch (command.name()) {
            case "_result" -> {
                if (command.transactionId() == 1) {
                    ctx.writeAndFlush(new CommandMessage(0, 0, "createStream", 2, null, List.of()));
                } else if (command.transactionId() == 2 && !command.arguments().isEmpty()
                    && command.arguments().getFirst() instanceof Number id) {
                    streamId = id.intValue();
                    if (direction == Direction.PULL) {
                        ctx.write(UserControl.setBufferLength(streamId, (int) target.buffer().toMillis()));
                        ctx.writeAndFlush(new CommandMessage(streamId, 0, "play", 0, null,
                            List.of(target.name(), target.start(), target.duration(), true)));
                    } else {
                        ctx.writeAndFlush(new CommandMessage(streamId, 0, "publish", 0, null,
                            List.of(target.name(), "live")));
                    }
                }
            }
            case "_error" -> end("refused: " + code(command));
            case "onStatus" -> onStatus(code(command));
            default -> { }
        }
    }

    private void onStatus(String code) {
        switch (code) {
            case "NetStream.Publish.Start" -> {
                started = true;
                if (direction == Direction.PUSH && subscription == null) {
                    if (!local.isLive()) {
                        end("local stream ended");
                        return;
                    }
                    pusher = new Pusher(new FrameQueue(QUEUE_FRAMES, QUEUE_BYTES, true, false));
                    subscription = local.subscribe(pusher);
                    events.started(this);
                }
            }
            case "NetStream.Play.Start" -> {
                if (!started) {
                    started = true;
                    events.started(this);
                }
                if (idleEnds && idleCheck == null) {
                    idleCheck = channel.eventLoop().scheduleAtFixedRate(() -> {
                        if (local.subscriberCount() == 0) {
                            end("no local player left");
                        }
                    }, IDLE_CHECK_MILLIS, IDLE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
                }
            }
            case "NetStream.Play.UnpublishNotify", "NetStream.Play.Stop" -> end("remote stream ended");
            default -> {
                if (code.contains("Failed") || code.contains("BadName") || code.contains("NotFound")
                    || code.contains("Rejected")) {
                    end("remote answered " + code);
                }
            }
        }
    }

    private static String code(CommandMessage command) {
        for (Object argument : command.arguments()) {
            if (argument instanceof Map<?, ?> info && info.get("code") instanceof String code) {
                return code;
            }
        }
        return "";
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (pusher != null && ctx.channel().isWritable()) {
            pusher.drain();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        end("error: " + cause.getMessage());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        end("remote closed the connection");
        ctx.fireChannelInactive();
    }

    /** Ends the relay for {@code reason}, from any thread. */
    public void stop(String reason) {
        loop.execute(() -> end(reason));
    }

    /** Whether the remote started the stream at some point; read on the relay's event loop. */
    public boolean wasStarted() {
        return started;
    }

    /** Bytes received from the remote, RTMP after the handshake. */
    public long bytesIn() {
        ChunkDecoder decoder = chunks;
        return decoder == null ? 0 : decoder.bytesReceived();
    }

    /** Whether the relay has ended. */
    public boolean ended() {
        return endReason != null;
    }

    /** Bytes written to the remote, RTMP after the handshake (and under TLS). */
    public long bytesOut() {
        return bytesOut.bytes();
    }

    /** Frames a push skipped because the remote was slow. */
    public long droppedFrames() {
        Pusher current = pusher;
        return current == null ? 0 : current.droppedFrames();
    }

    private void end(String reason) {
        if (endReason != null) {
            return;
        }
        endReason = reason;
        if (idleCheck != null) {
            idleCheck.cancel(false);
        }
        if (publication != null) {
            publication.close();
            publication = null;
        }
        boolean publishing = subscription != null && channel.isActive();
        if (subscription != null) {
            subscription.close();
            subscription = null;
            if (publishing) {
                pusher.drain();
            }
            pusher.close();
        }
        if (publishing) {
            channel.writeAndFlush(new CommandMessage(0, 0, "deleteStream", 0, null, List.of((double) streamId)))
                .addListener(ChannelFutureListener.CLOSE);
            loop.schedule(() -> channel.close(), CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } else if (channel != null) {
            channel.close();
        }
        log.info("[relay {} {}] ended: {}", direction.name().toLowerCase(), target, reason);
        events.ended(this, reason);
    }

    /**
     * Feeds the local stream's frames to the remote, every track of a multitrack publish as it came, dropping to the
     * next keyframe when the remote is slow; its queue answers the drop and backlog counts, so the stream's
     * statistics include them.
     */
    private final class Pusher extends ChannelSubscriber {

        Pusher(FrameQueue queue) {
            super(channel, queue);
        }

        @Override
        public boolean multitrack() {
            return true;
        }

        @Override
        protected Object encode(MediaFrame frame) {
            try {
                return message(frame);
            } finally {
                frame.release();
            }
        }

        private RtmpMessage message(MediaFrame frame) {
            return switch (frame.kind()) {
                case AUDIO -> new MediaMessage(streamId, frame.timestamp(), MediaMessage.AUDIO,
                    frame.payload().retainedDuplicate());
                case VIDEO -> new MediaMessage(streamId, frame.timestamp(), MediaMessage.VIDEO,
                    frame.payload().retainedDuplicate());
                case DATA -> {
                    List<Object> values = new ArrayList<>(Amf0.readAll(frame.payload().duplicate()));
                    if (!values.isEmpty() && "onMetaData".equals(values.getFirst())) {
                        values.addFirst("@setDataFrame");
                    }
                    yield new DataMessage(streamId, frame.timestamp(), values);
                }
            };
        }

        @Override
        public void onPublishStart() {
        }

        @Override
        public void onPublishStop() {
            channel.eventLoop().execute(() -> end("local stream ended"));
        }
    }
}
