package onair.rtmp.message;

/**
 * An RTMP message with its payload interpreted (RTMP spec §5.4, §7.1): protocol control, user control, command,
 * data or media. Timestamps are milliseconds that wrap at 32 bits.
 */
public sealed interface RtmpMessage
    permits ProtocolControlMessage, MediaMessage, DataMessage, CommandMessage {

    /** The message stream id; 0 for control messages and for commands on the connection itself. */
    int streamId();

    int timestamp();
}
