package onair.rtmp.message;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A command message, type 20 (AMF0) or 17 (AMF3) (RTMP spec §7.1.1, §7.2): a remote call such as {@code connect}
 * or {@code publish}, or its reply {@code _result}, {@code _error} or {@code onStatus}. Values are the Java values of
 * {@link onair.amf.Amf0}; a missing command object reads as null.
 */
public record CommandMessage(
    int streamId, int timestamp, String name, double transactionId, Object commandObject, List<Object> arguments)
    implements RtmpMessage {

    public CommandMessage {
        arguments = Collections.unmodifiableList(new ArrayList<>(arguments));
    }

    /** The NetStream status event (RTMP spec §7.2.2) with an info object of level, code and description. */
    public static CommandMessage onStatus(int streamId, String level, String code, String description) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("level", level);
        info.put("code", code);
        info.put("description", description);
        return new CommandMessage(streamId, 0, "onStatus", 0, null, List.of(info));
    }

    /** A successful reply on message stream 0 to the command with {@code transactionId}. */
    public static CommandMessage result(double transactionId, Object commandObject, Object... arguments) {
        return new CommandMessage(0, 0, "_result", transactionId, commandObject, Arrays.asList(arguments));
    }

    /** A failed reply on message stream 0 to the command with {@code transactionId}. */
    public static CommandMessage error(double transactionId, Object commandObject, Object... arguments) {
        return new CommandMessage(0, 0, "_error", transactionId, commandObject, Arrays.asList(arguments));
    }
}
