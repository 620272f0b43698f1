package onair.rtmp.message;

/** Set Chunk Size, type 1 (RTMP spec §5.4.1): the sender's new maximum chunk size, 1 to 2^31 - 1 bytes. */
public record SetChunkSize(int chunkSize) implements ProtocolControlMessage {

    public SetChunkSize {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size " + chunkSize + " is not within 1..2^31-1");
        }
    }
}
