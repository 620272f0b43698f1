package onair.rtmp.chunk;

import onair.media.MediaFrame;

/**
 * A media frame to be sent as one RTMP message on chunk stream {@code chunkStreamId} of message stream
 * {@code streamId}. {@link ChunkEncoder} chunks it with its own chunk size through the frame's shared encodings
 * ({@link MediaFrame#encoded}), so a frame is chunked once per chunk size, not once per channel. Owns one reference
 * to the frame.
 */
public record SharedChunks(MediaFrame frame, int chunkStreamId, int streamId) implements ChunkMessage {

    @Override
    public int refCnt() {
        return frame.refCnt();
    }

    @Override
    public SharedChunks retain() {
        frame.retain();
        return this;
    }

    @Override
    public SharedChunks retain(int increment) {
        frame.retain(increment);
        return this;
    }

    @Override
    public SharedChunks touch() {
        frame.touch();
        return this;
    }

    @Override
    public SharedChunks touch(Object hint) {
        frame.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return frame.release();
    }

    @Override
    public boolean release(int decrement) {
        return frame.release(decrement);
    }
}
