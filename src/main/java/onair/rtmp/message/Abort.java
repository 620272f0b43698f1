package onair.rtmp.message;

/** Abort Message, type 2 (RTMP spec §5.4.2): discard the partly received message on a chunk stream. */
public record Abort(int chunkStreamId) implements ProtocolControlMessage {
}
