package onair.rtmp.chunk;

import io.netty.util.IllegalReferenceCountException;
import io.netty.util.Recycler;
import onair.media.MediaFrame;

/**
 * A media frame to be sent as one RTMP message on chunk stream {@code chunkStreamId} of message stream
 * {@code streamId}. {@link ChunkEncoder} chunks it with its own chunk size through the frame's shared encodings
 * ({@link MediaFrame#encoded}), so a frame is chunked once per chunk size, not once per channel. It owns one reference
 * to the frame; the release that ends it releases the frame and returns it to a per-thread pool, so sending a frame
 * to a player allocates nothing. Retained and released on one thread, as a channel's writes are.
 */
public final class SharedChunks implements ChunkMessage {

    private static final Recycler<SharedChunks> POOL = new Recycler<>() {
        @Override
        protected SharedChunks newObject(Handle<SharedChunks> handle) {
            return new SharedChunks(handle);
        }
    };

    private final Recycler.Handle<SharedChunks> handle;
    private MediaFrame frame;
    private int chunkStreamId;
    private int streamId;
    private int refCnt;

    private SharedChunks(Recycler.Handle<SharedChunks> handle) {
        this.handle = handle;
    }

    /** {@code frame} as one message on the given chunk and message streams; takes over the caller's reference. */
    public static SharedChunks of(MediaFrame frame, int chunkStreamId, int streamId) {
        SharedChunks chunks = POOL.get();
        chunks.frame = frame;
        chunks.chunkStreamId = chunkStreamId;
        chunks.streamId = streamId;
        chunks.refCnt = 1;
        return chunks;
    }

    public MediaFrame frame() {
        return frame;
    }

    public int chunkStreamId() {
        return chunkStreamId;
    }

    public int streamId() {
        return streamId;
    }

    @Override
    public int refCnt() {
        return refCnt;
    }

    @Override
    public SharedChunks retain() {
        return retain(1);
    }

    @Override
    public SharedChunks retain(int increment) {
        if (refCnt <= 0) {
            throw new IllegalReferenceCountException(refCnt, increment);
        }
        frame.retain(increment);
        refCnt += increment;
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
        return release(1);
    }

    @Override
    public boolean release(int decrement) {
        if (decrement > refCnt) {
            throw new IllegalReferenceCountException(refCnt, -decrement);
        }
        frame.release(decrement);
        refCnt -= decrement;
        if (refCnt > 0) {
            return false;
        }
        frame = null;
        handle.recycle(this);
        return true;
    }
}
