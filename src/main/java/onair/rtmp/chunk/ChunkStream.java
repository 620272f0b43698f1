package onair.rtmp.chunk;

import io.netty.buffer.ByteBuf;

/** What the receiver remembers per chunk stream (RTMP spec §5.3.1.2): the last header's fields and a partial message. */
final class ChunkStream {

    final int chunkStreamId;
    int timestamp;
    int timestampDelta;
    boolean extended;
    int extendedTimestamp;
    int messageLength;
    int typeId;
    int streamId;
    int received;
    ByteBuf payload;

    ChunkStream(int chunkStreamId) {
        this.chunkStreamId = chunkStreamId;
    }

    void discard() {
        if (payload != null) {
            payload.release();
            payload = null;
        }
        received = 0;
    }
}
