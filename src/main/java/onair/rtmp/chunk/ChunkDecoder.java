package onair.rtmp.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import onair.rtmp.RtmpProtocolException;

import java.util.List;

import static io.netty.util.internal.ObjectUtil.checkPositive;

/**
 * Reassembles RTMP chunks (RTMP spec §5.3) into {@link RawMessage}s, applying SetChunkSize (§5.4.1) and Abort (§5.4.2)
 * itself before passing them up. A type-3 chunk after an extended timestamp may or may not repeat the four
 * extended-timestamp bytes; both are accepted, as ffmpeg and librtmp do, by consuming them only when they match.
 */
public final class ChunkDecoder extends ByteToMessageDecoder {

    public static final int DEFAULT_MAX_MESSAGE_SIZE = 1 << 20;
    public static final int DEFAULT_MAX_CHUNK_STREAMS = 32;
    public static final int DEFAULT_MAX_CHUNK_SIZE = 1 << 24;
    static final int DEFAULT_CHUNK_SIZE = 128;
    static final int EXTENDED_TIMESTAMP_MARKER = 0xFFFFFF;
    static final int TYPE_SET_CHUNK_SIZE = 1;
    static final int TYPE_ABORT = 2;

    private static final int[] MESSAGE_HEADER_LENGTH = {11, 7, 3, 0};
    private static final int INITIAL_PAYLOAD_CAPACITY = 64 * 1024;

    private enum Phase { HEADER, PAYLOAD, FAILED }

    private enum Repeat { PRESENT, ABSENT, UNKNOWN }

    private final int maxMessageSize;
    private final int maxChunkStreams;
    private final int maxChunkSize;
    private final IntObjectMap<ChunkStream> chunkStreams = new IntObjectHashMap<>();
    private Phase phase = Phase.HEADER;
    private int chunkSize = DEFAULT_CHUNK_SIZE;
    private ChunkStream current;
    private int chunkRemaining;
    private long bytesReceived;

    public ChunkDecoder() {
        this(DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_MAX_CHUNK_STREAMS, DEFAULT_MAX_CHUNK_SIZE);
    }

    /**
     * @param maxMessageSize  the longest message a header may announce (nginx-rtmp {@code max_message})
     * @param maxChunkStreams how many distinct chunk streams the peer may use (nginx-rtmp {@code max_streams})
     * @param maxChunkSize    the largest chunk size the peer may set with SetChunkSize
     */
    public ChunkDecoder(int maxMessageSize, int maxChunkStreams, int maxChunkSize) {
        this.maxMessageSize = checkPositive(maxMessageSize, "maxMessageSize");
        this.maxChunkStreams = checkPositive(maxChunkStreams, "maxChunkStreams");
        this.maxChunkSize = checkPositive(maxChunkSize, "maxChunkSize");
    }

    /** Every byte this decoder has consumed, for the Acknowledgement sequence number (RTMP spec §5.4.3). */
    public long bytesReceived() {
        return bytesReceived;
    }

    /** The chunk size the peer currently sends with. */
    public int chunkSize() {
        return chunkSize;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        try {
            boolean progress = true;
            while (progress) {
                progress = switch (phase) {
                    case HEADER -> readHeader(in);
                    case PAYLOAD -> readPayload(ctx, in, out);
                    case FAILED -> {
                        in.skipBytes(in.readableBytes());
                        yield false;
                    }
                };
            }
        } catch (RtmpProtocolException e) {
            phase = Phase.FAILED;
            throw e;
        } finally {
            bytesReceived += in.readerIndex() - start;
        }
    }

    private boolean readHeader(ByteBuf in) {
        int readable = in.readableBytes();
        if (readable == 0) {
            return false;
        }
        int index = in.readerIndex();
        int first = in.getUnsignedByte(index);
        int fmt = first >>> 6;
        int chunkStreamId = first & 0x3F;
        int basicHeaderLength = chunkStreamId == 0 ? 2 : chunkStreamId == 1 ? 3 : 1;
        int headerLength = basicHeaderLength + MESSAGE_HEADER_LENGTH[fmt];
        if (readable < headerLength) {
            return false;
        }
        if (chunkStreamId == 0) {
            chunkStreamId = 64 + in.getUnsignedByte(index + 1);
        } else if (chunkStreamId == 1) {
            chunkStreamId = 64 + in.getUnsignedByte(index + 1) + (in.getUnsignedByte(index + 2) << 8);
        }
        ChunkStream stream = chunkStreams.get(chunkStreamId);
        if (stream == null && fmt != 0) {
            throw new RtmpProtocolException(
                "chunk of fmt " + fmt + " on chunk stream " + chunkStreamId + " without a previous header");
        }
        if (fmt == 3) {
            int repeated = 0;
            if (stream.extended) {
                switch (repeatedExtendedTimestamp(in, index + headerLength, stream.extendedTimestamp)) {
                    case UNKNOWN -> {
                        return false;
                    }
                    case PRESENT -> repeated = 4;
                    case ABSENT -> repeated = 0;
                }
            }
            in.skipBytes(headerLength + repeated);
            if (stream.received == 0) {
                stream.timestamp += stream.timestampDelta;
            }
        } else {
            int fields = index + basicHeaderLength;
            int timestampField = in.getUnsignedMedium(fields);
            boolean extended = timestampField == EXTENDED_TIMESTAMP_MARKER;
            if (extended && readable < headerLength + 4) {
                return false;
            }
            if (fmt <= 1) {
                int length = in.getUnsignedMedium(fields + 3);
                if (length > maxMessageSize) {
                    throw new RtmpProtocolException(
                        "message of " + length + " bytes exceeds max_message " + maxMessageSize);
                }
            }
            if (stream == null) {
                if (chunkStreams.size() >= maxChunkStreams) {
                    throw new RtmpProtocolException(
                        "chunk stream " + chunkStreamId + " exceeds max_streams " + maxChunkStreams);
                }
                stream = new ChunkStream(chunkStreamId);
                chunkStreams.put(chunkStreamId, stream);
            } else if (stream.received > 0) {
                throw new RtmpProtocolException("chunk of fmt " + fmt + " on chunk stream " + chunkStreamId
                    + " while " + stream.received + " of " + stream.messageLength + " bytes of a message are pending");
            }
            int timestamp = extended ? in.getInt(index + headerLength) : timestampField;
            stream.extended = extended;
            stream.extendedTimestamp = timestamp;
            stream.timestampDelta = timestamp;
            if (fmt == 0) {
                stream.timestamp = timestamp;
                stream.streamId = in.getIntLE(fields + 7);
            } else {
                stream.timestamp += timestamp;
            }
            if (fmt <= 1) {
                stream.messageLength = in.getUnsignedMedium(fields + 3);
                stream.typeId = in.getUnsignedByte(fields + 6);
            }
            in.skipBytes(headerLength + (extended ? 4 : 0));
        }
        current = stream;
        chunkRemaining = Math.min(chunkSize, stream.messageLength - stream.received);
        phase = Phase.PAYLOAD;
        return true;
    }

    private static Repeat repeatedExtendedTimestamp(ByteBuf in, int index, int extendedTimestamp) {
        int available = Math.min(4, in.writerIndex() - index);
        for (int i = 0; i < available; i++) {
            if (in.getUnsignedByte(index + i) != (extendedTimestamp >>> (24 - 8 * i) & 0xFF)) {
                return Repeat.ABSENT;
            }
        }
        return available == 4 ? Repeat.PRESENT : Repeat.UNKNOWN;
    }

    private boolean readPayload(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        ChunkStream stream = current;
        if (stream.received == 0 && chunkRemaining == stream.messageLength) {
            if (in.readableBytes() < chunkRemaining) {
                return false;
            }
            phase = Phase.HEADER;
            complete(stream, in.readRetainedSlice(chunkRemaining), out);
            return true;
        }
        int length = Math.min(chunkRemaining, in.readableBytes());
        if (length == 0) {
            return false;
        }
        if (stream.payload == null) {
            stream.payload = ctx.alloc().buffer(Math.min(stream.messageLength, INITIAL_PAYLOAD_CAPACITY),
                stream.messageLength);
        }
        stream.payload.writeBytes(in, length);
        stream.received += length;
        chunkRemaining -= length;
        if (chunkRemaining > 0) {
            return false;
        }
        phase = Phase.HEADER;
        if (stream.received == stream.messageLength) {
            ByteBuf payload = stream.payload;
            stream.payload = null;
            stream.received = 0;
            complete(stream, payload, out);
        }
        return true;
    }

    private void complete(ChunkStream stream, ByteBuf payload, List<Object> out) {
        try {
            if (stream.typeId == TYPE_SET_CHUNK_SIZE) {
                chunkSize = newChunkSize(payload);
            } else if (stream.typeId == TYPE_ABORT) {
                abort(payload);
            }
        } catch (RtmpProtocolException e) {
            payload.release();
            throw e;
        }
        out.add(new RawMessage(stream.chunkStreamId, stream.timestamp, stream.typeId, stream.streamId, payload));
    }

    private int newChunkSize(ByteBuf payload) {
        if (payload.readableBytes() < 4) {
            throw new RtmpProtocolException("SetChunkSize message of " + payload.readableBytes() + " bytes");
        }
        int size = payload.getInt(payload.readerIndex());
        if (size <= 0) {
            throw new RtmpProtocolException("invalid chunk size " + Integer.toUnsignedString(size));
        }
        if (size > maxChunkSize) {
            throw new RtmpProtocolException("chunk size " + size + " exceeds " + maxChunkSize);
        }
        return size;
    }

    private void abort(ByteBuf payload) {
        if (payload.readableBytes() < 4) {
            throw new RtmpProtocolException("Abort message of " + payload.readableBytes() + " bytes");
        }
        ChunkStream aborted = chunkStreams.get(payload.getInt(payload.readerIndex()));
        if (aborted != null) {
            aborted.discard();
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        for (ChunkStream stream : chunkStreams.values()) {
            stream.discard();
        }
        chunkStreams.clear();
        current = null;
    }
}
