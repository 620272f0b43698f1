package onair.rtmp.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.EncoderException;
import onair.media.MediaFrame;

import java.util.function.Function;

import static io.netty.util.internal.ObjectUtil.checkInRange;
import static io.netty.util.internal.ObjectUtil.checkPositive;
import static onair.rtmp.chunk.ChunkDecoder.EXTENDED_TIMESTAMP_MARKER;

/**
 * Splits each {@link RawMessage} into chunks (RTMP spec §5.3.1) without copying its payload: a type-0 chunk, then
 * type-3 chunks that repeat an extended timestamp (as nginx-rtmp's play_time_fix does). A SetChunkSize message
 * (§5.4.1) passing through sets the chunk size of the messages after it. {@link SharedChunks} are chunked the same way
 * with the current chunk size, once per frame and chunking, and the result is shared with every other encoder. Each
 * message becomes one buffer written on at once; other messages pass through.
 */
public final class ChunkEncoder extends ChannelOutboundHandlerAdapter {

    private static final int MAX_CHUNK_STREAM_ID = 65599;
    private static final int MAX_MESSAGE_LENGTH = 0xFFFFFF;
    private static final ByteBufAllocator POOLED = PooledByteBufAllocator.DEFAULT;

    /**
     * How a frame is chunked on one chunk stream, chunk size and message stream: the key of the frame's shared
     * encoding, made once per frame into one pooled buffer whose retained duplicates are recycled, not allocated.
     */
    private record Chunking(int chunkStreamId, int chunkSize, int streamId)
        implements Function<MediaFrame, ByteBuf> {

        @Override
        public ByteBuf apply(MediaFrame frame) {
            ByteBuf chunks = ChunkEncoder.encode(POOLED, chunkStreamId, frame.timestamp(), frame.kind().typeId, streamId,
                frame.payload(), chunkSize);
            try {
                return POOLED.directBuffer(chunks.readableBytes()).writeBytes(chunks);
            } finally {
                chunks.release();
            }
        }
    }

    private int chunkSize = ChunkDecoder.DEFAULT_CHUNK_SIZE;
    private final Chunking[] chunkings = new Chunking[4];
    private int nextChunking;

    /** The chunk size this encoder currently sends with. */
    public int chunkSize() {
        return chunkSize;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ChunkMessage message)) {
            ctx.write(msg, promise);
            return;
        }
        ByteBuf chunks;
        try {
            chunks = switch (message) {
                case RawMessage raw -> encode(ctx, raw);
                case SharedChunks shared -> {
                    Chunking chunking = chunking(shared.chunkStreamId(), shared.streamId());
                    yield shared.frame().encoded(chunking, chunking).retainedDuplicate();
                }
            };
        } catch (RuntimeException e) {
            promise.tryFailure(new EncoderException(e));
            return;
        } finally {
            message.release();
        }
        ctx.write(chunks, promise);
    }

    private ByteBuf encode(ChannelHandlerContext ctx, RawMessage msg) {
        ByteBuf payload = msg.content();
        int nextChunkSize = chunkSize;
        if (msg.typeId() == ChunkDecoder.TYPE_SET_CHUNK_SIZE) {
            if (payload.readableBytes() < 4) {
                throw new IllegalArgumentException("SetChunkSize message of " + payload.readableBytes() + " bytes");
            }
            nextChunkSize = checkPositive(payload.getInt(payload.readerIndex()), "chunk size");
        }
        ByteBuf chunks = encode(ctx.alloc(), msg.chunkStreamId(), msg.timestamp(), msg.typeId(), msg.streamId(),
            payload, chunkSize);
        chunkSize = nextChunkSize;
        return chunks;
    }

    /** The chunking for the current chunk size, kept for the next frames rather than made per message. */
    private Chunking chunking(int chunkStreamId, int streamId) {
        for (Chunking chunking : chunkings) {
            if (chunking != null && chunking.chunkStreamId == chunkStreamId && chunking.streamId == streamId
                && chunking.chunkSize == chunkSize) {
                return chunking;
            }
        }
        Chunking made = new Chunking(chunkStreamId, chunkSize, streamId);
        chunkings[nextChunking] = made;
        nextChunking = (nextChunking + 1) % chunkings.length;
        return made;
    }

    /**
     * Chunks one message exactly as the pipeline encoder does, so that the result can be shared by every channel
     * sending with {@code chunkSize}. The payload is not consumed: the result holds retained slices of it.
     */
    public static ByteBuf encode(ByteBufAllocator alloc, int chunkStreamId, int timestamp, int typeId, int streamId,
                                 ByteBuf payload, int chunkSize) {
        checkInRange(chunkStreamId, 2, MAX_CHUNK_STREAM_ID, "chunkStreamId");
        checkInRange(typeId, 0, 255, "typeId");
        checkPositive(chunkSize, "chunkSize");
        int length = checkInRange(payload.readableBytes(), 0, MAX_MESSAGE_LENGTH, "payload length");
        boolean extended = Integer.compareUnsigned(timestamp, EXTENDED_TIMESTAMP_MARKER) >= 0;
        int chunks = length == 0 ? 1 : (length - 1) / chunkSize + 1;
        CompositeByteBuf chunked = alloc.compositeBuffer(2 * chunks);
        try {
            ByteBuf header = alloc.buffer(3 + 11 + 4);
            writeBasicHeader(header, 0, chunkStreamId);
            header.writeMedium(extended ? EXTENDED_TIMESTAMP_MARKER : timestamp)
                .writeMedium(length)
                .writeByte(typeId)
                .writeIntLE(streamId);
            if (extended) {
                header.writeInt(timestamp);
            }
            chunked.addComponent(true, header);
            int offset = payload.readerIndex();
            int end = offset + length;
            int size = Math.min(chunkSize, length);
            if (size > 0) {
                chunked.addComponent(true, payload.retainedSlice(offset, size));
                offset += size;
            }
            if (offset < end) {
                ByteBuf continuation = alloc.buffer(3 + 4);
                try {
                    writeBasicHeader(continuation, 3, chunkStreamId);
                    if (extended) {
                        continuation.writeInt(timestamp);
                    }
                    while (offset < end) {
                        size = Math.min(chunkSize, end - offset);
                        chunked.addComponent(true, continuation.retainedSlice());
                        chunked.addComponent(true, payload.retainedSlice(offset, size));
                        offset += size;
                    }
                } finally {
                    continuation.release();
                }
            }
            return chunked;
        } catch (Throwable t) {
            chunked.release();
            throw t;
        }
    }

    private static void writeBasicHeader(ByteBuf header, int fmt, int chunkStreamId) {
        if (chunkStreamId < 64) {
            header.writeByte(fmt << 6 | chunkStreamId);
        } else if (chunkStreamId < 320) {
            header.writeByte(fmt << 6).writeByte(chunkStreamId - 64);
        } else {
            header.writeByte(fmt << 6 | 1).writeShortLE(chunkStreamId - 64);
        }
    }
}
