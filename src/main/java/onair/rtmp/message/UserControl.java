package onair.rtmp.message;

/**
 * User Control Message, type 4 (RTMP spec §6.2, §7.1.7): an event about a stream or the connection.
 *
 * @param eventData    the stream id the event is about, or for ping events the sender's timestamp
 * @param bufferLength milliseconds of buffer, for {@link Event#SET_BUFFER_LENGTH} only
 */
public record UserControl(Event event, int eventData, int bufferLength) implements ProtocolControlMessage {

    /** The event types of RTMP spec §7.1.7; any other type reads as {@link #UNKNOWN}, which receivers ignore. */
    public enum Event {
        STREAM_BEGIN(0),
        STREAM_EOF(1),
        STREAM_DRY(2),
        SET_BUFFER_LENGTH(3),
        STREAM_IS_RECORDED(4),
        PING_REQUEST(6),
        PING_RESPONSE(7),
        UNKNOWN(-1);

        public final int type;

        Event(int type) {
            this.type = type;
        }

        public static Event of(int type) {
            for (Event event : values()) {
                if (event.type == type) {
                    return event;
                }
            }
            return UNKNOWN;
        }
    }

    public UserControl(Event event, int eventData) {
        this(event, eventData, 0);
    }

    public static UserControl setBufferLength(int streamId, int bufferLength) {
        return new UserControl(Event.SET_BUFFER_LENGTH, streamId, bufferLength);
    }

    public static UserControl pingRequest(int timestamp) {
        return new UserControl(Event.PING_REQUEST, timestamp);
    }

    public static UserControl pingResponse(int timestamp) {
        return new UserControl(Event.PING_RESPONSE, timestamp);
    }
}
