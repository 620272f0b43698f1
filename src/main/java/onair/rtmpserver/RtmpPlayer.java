package onair.rtmpserver;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import onair.config.ApplicationConfig;
import onair.media.MediaFrame;
import onair.output.ChannelSubscriber;
import onair.rtmp.chunk.SharedChunks;
import onair.rtmp.command.Status;
import onair.rtmp.message.ChunkStreams;
import onair.rtmp.message.CommandMessage;
import onair.rtmp.message.RtmpMessage;
import onair.rtmp.message.UserControl;
import onair.stream.Client;
import onair.stream.FrameQueue;

import java.time.Duration;

/**
 * An RTMP player as a subscriber of a live stream. Frames reach it on the publisher's thread and wait in a bounded
 * {@link FrameQueue}; its own event loop writes them as {@link SharedChunks} straight to the chunk encoder as long as
 * the socket is writable, so the encoder chunks each frame once per chunk size and message stream for every player.
 */
final class RtmpPlayer extends ChannelSubscriber {

    private final Client client;
    private final int streamId;
    private final ApplicationConfig app;
    private final int audioChunkStream;
    private final boolean multitrack;
    private volatile boolean receiveAudio = true;
    private volatile boolean receiveVideo = true;
    private int lastTimestamp;

    /**
     * A player whose frames are written from {@code codec}, the context of the message codec, to the chunk encoder;
     * one whose connect announced Enhanced RTMP multitrack gets every track as it came; frames gather for
     * {@code mergeWindow} before they are written.
     */
    RtmpPlayer(ChannelHandlerContext codec, Client client, int streamId, ApplicationConfig app, FrameQueue queue,
            boolean multitrack, Duration mergeWindow) {
        super(codec, queue, mergeWindow);
        this.multitrack = multitrack;
        this.client = client;
        this.streamId = streamId;
        this.app = app;
        this.audioChunkStream = app.interleave() ? ChunkStreams.VIDEO : ChunkStreams.AUDIO;
    }

    int streamId() {
        return streamId;
    }

    @Override
    public boolean multitrack() {
        return multitrack;
    }

    @Override
    public Client client() {
        return client;
    }

    void receiveAudio(boolean on) {
        receiveAudio = on;
    }

    void receiveVideo(boolean on) {
        receiveVideo = on;
    }

    @Override
    protected boolean accepts(MediaFrame frame) {
        return switch (frame.kind()) {
            case AUDIO -> receiveAudio;
            case VIDEO -> receiveVideo;
            case DATA -> true;
        };
    }

    @Override
    protected Object encode(MediaFrame frame) {
        lastTimestamp = frame.timestamp();
        int chunkStream = switch (frame.kind()) {
            case AUDIO -> audioChunkStream;
            case VIDEO -> ChunkStreams.VIDEO;
            case DATA -> ChunkStreams.DATA;
        };
        return SharedChunks.of(frame, chunkStream, streamId);
    }

    @Override
    public void onPublishStart() {
        channel().eventLoop().execute(() -> {
            write(new UserControl(UserControl.Event.STREAM_BEGIN, streamId));
            if (app.publishNotify()) {
                write(status(Status.PLAY_PUBLISH_NOTIFY));
            }
            if (app.playRestart()) {
                write(status(Status.PLAY_START));
            }
            channel().flush();
        });
    }

    @Override
    public void onPublishStop() {
        channel().eventLoop().execute(() -> {
            drain();
            write(new UserControl(UserControl.Event.STREAM_EOF, streamId));
            if (app.publishNotify()) {
                write(status(Status.PLAY_UNPUBLISH_NOTIFY));
            }
            if (app.playRestart()) {
                write(status(Status.PLAY_STOP));
            }
            channel().flush();
            if (!app.idleStreams()) {
                channel().close();
            }
        });
    }

    /** The timestamp of the last frame written to the socket, 0 before any. */
    int lastTimestamp() {
        return lastTimestamp;
    }

    private CommandMessage status(Status status) {
        return CommandMessage.onStatus(streamId, status.level, status.code, status.description);
    }

    private void write(RtmpMessage message) {
        if (channel().isActive()) {
            channel().write(message, channel().voidPromise());
        } else {
            ReferenceCountUtil.release(message);
        }
    }
}
