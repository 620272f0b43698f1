package onair.rtmp.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/** A whole RTMP message as carried on one chunk stream (RTMP spec §5.3.1), before its payload is interpreted. */
public final class RawMessage extends DefaultByteBufHolder implements ChunkMessage {

    private final int chunkStreamId;
    private final int timestamp;
    private final int typeId;
    private final int streamId;

    public RawMessage(int chunkStreamId, int timestamp, int typeId, int streamId, ByteBuf payload) {
        super(payload);
        this.chunkStreamId = chunkStreamId;
        this.timestamp = timestamp;
        this.typeId = typeId;
        this.streamId = streamId;
    }

    public int chunkStreamId() { return chunkStreamId; }
    public int timestamp() { return timestamp; }
    public int typeId() { return typeId; }
    public int streamId() { return streamId; }

    @Override
    public RawMessage replace(ByteBuf content) {
        return new RawMessage(chunkStreamId, timestamp, typeId, streamId, content);
    }

    @Override
    public String toString() {
        return "RawMessage(csid=" + chunkStreamId + ", ts=" + Integer.toUnsignedString(timestamp) + ", type=" + typeId
            + ", msid=" + streamId + ", " + content().readableBytes() + "B)";
    }
}
