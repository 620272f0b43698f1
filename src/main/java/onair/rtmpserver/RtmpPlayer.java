package onair.rtmpserver;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import onair.config.ApplicationConfig;
import onair.media.MediaFrame;
import onair.rtmp.chunk.ChunkEncoder;
import onair.rtmp.command.Status;
import onair.rtmp.message.CommandMessage;
import onair.rtmp.message.RtmpMessage;
import onair.rtmp.message.UserControl;
import onair.stream.Client;
import onair.stream.FrameQueue;
import onair.stream.QueuedSubscriber;

import java.util.function.Function;

/**
 * An RTMP player as a subscriber of a live stream. Frames reach it on the publisher's thread and wait in a bounded
 * {@link FrameQueue}; its own event loop writes them as long as the socket is writable, each frame chunk-encoded once
 * per (chunk size, stream id) and shared by every player with the same encoding.
 */
final class RtmpPlayer implements QueuedSubscriber {

    /** nginx-rtmp's chunk stream ids for media (NGX_RTMP_CSID_AMF, _AUDIO, _VIDEO). */
    private static final int DATA_CSID = 5;
    private static final int AUDIO_CSID = 6;
    private static final int VIDEO_CSID = 7;
    private static final ByteBufAllocator POOLED = PooledByteBufAllocator.DEFAULT;

    /**
     * How a frame is chunked for players with this chunk stream, chunk size and message stream: made once per frame
     * into one pooled buffer, whose retained duplicates are recycled rather than allocated per write.
     */
    private record Encoding(int chunkStreamId, int chunkSize, int streamId) implements Function<MediaFrame, ByteBuf> {

        @Override
        public ByteBuf apply(MediaFrame frame) {
            ByteBuf chunks = ChunkEncoder.encode(POOLED, chunkStreamId, frame.timestamp(), frame.kind().typeId,
                streamId, frame.payload(), chunkSize);
            try {
                return POOLED.directBuffer(chunks.readableBytes()).writeBytes(chunks);
            } finally {
                chunks.release();
            }
        }
    }

    private final Channel channel;
    private final Client client;
    private final ChannelHandlerContext socket;
    private final int streamId;
    private final ApplicationConfig app;
    private final FrameQueue queue;
    private final Encoding data;
    private final Encoding audio;
    private final Encoding video;
    private final Runnable drainTask = this::drain;
    private volatile boolean receiveAudio = true;
    private volatile boolean receiveVideo = true;
    private long blockedSinceNanos;
    private int lastTimestamp;

    RtmpPlayer(Channel channel, Client client, int streamId, int chunkSize, ApplicationConfig app, FrameQueue queue) {
        this.channel = channel;
        this.client = client;
        this.socket = channel.pipeline().context(ChunkEncoder.class);
        this.streamId = streamId;
        this.app = app;
        this.queue = queue;
        this.data = new Encoding(DATA_CSID, chunkSize, streamId);
        this.audio = new Encoding(app.interleave() ? VIDEO_CSID : AUDIO_CSID, chunkSize, streamId);
        this.video = new Encoding(VIDEO_CSID, chunkSize, streamId);
    }

    int streamId() {
        return streamId;
    }

    @Override
    public Client client() {
        return client;
    }

    @Override
    public FrameQueue queue() {
        return queue;
    }

    void receiveAudio(boolean on) {
        receiveAudio = on;
    }

    void receiveVideo(boolean on) {
        receiveVideo = on;
    }

    @Override
    public void onFrame(MediaFrame frame) {
        if ((frame.isAudio() && !receiveAudio) || (frame.isVideo() && !receiveVideo)) {
            frame.release();
            return;
        }
        if (queue.offer(frame)) {
            channel.eventLoop().execute(drainTask);
        }
    }

    @Override
    public void onPublishStart() {
        channel.eventLoop().execute(() -> {
            write(new UserControl(UserControl.Event.STREAM_BEGIN, streamId));
            if (app.publishNotify()) {
                write(status(Status.PLAY_PUBLISH_NOTIFY));
            }
            if (app.playRestart()) {
                write(status(Status.PLAY_START));
            }
            channel.flush();
        });
    }

    @Override
    public void onPublishStop() {
        channel.eventLoop().execute(() -> {
            drain();
            write(new UserControl(UserControl.Event.STREAM_EOF, streamId));
            if (app.publishNotify()) {
                write(status(Status.PLAY_UNPUBLISH_NOTIFY));
            }
            if (app.playRestart()) {
                write(status(Status.PLAY_STOP));
            }
            channel.flush();
            if (!app.idleStreams()) {
                channel.close();
            }
        });
    }

    /** Writes queued frames while the socket takes them; runs on the channel's event loop. */
    void drain() {
        boolean wrote = false;
        MediaFrame frame;
        while (channel.isWritable() && (frame = queue.poll()) != null) {
            socket.write(chunks(frame), socket.voidPromise());
            lastTimestamp = frame.timestamp();
            frame.release();
            wrote = true;
        }
        blockedSinceNanos = queue.size() > 0 ? (blockedSinceNanos == 0 ? System.nanoTime() : blockedSinceNanos) : 0;
        if (wrote) {
            channel.flush();
        }
    }

    /** The timestamp of the last frame written to the socket, 0 before any. */
    int lastTimestamp() {
        return lastTimestamp;
    }

    /** Nanoseconds this player has had frames waiting on a socket that does not take them, or 0. */
    long blockedNanos(long now) {
        return blockedSinceNanos == 0 ? 0 : now - blockedSinceNanos;
    }

    void close() {
        queue.close();
    }

    /** The frame's chunks for this player's encoding: one pooled buffer per frame, a recycled view per write. */
    private ByteBuf chunks(MediaFrame frame) {
        Encoding encoding = switch (frame.kind()) {
            case AUDIO -> audio;
            case VIDEO -> video;
            case DATA -> data;
        };
        return frame.encoded(encoding, encoding).retainedDuplicate();
    }

    private CommandMessage status(Status status) {
        return CommandMessage.onStatus(streamId, status.level, status.code, status.description);
    }

    private void write(RtmpMessage message) {
        if (channel.isActive()) {
            channel.write(message, channel.voidPromise());
        } else {
            ReferenceCountUtil.release(message);
        }
    }
}
