package onair.rtmp.command;

import onair.rtmp.message.CommandMessage;

import java.util.LinkedHashMap;
import java.util.Map;

/** The replies a server sends to commands: {@code _result}, {@code _error} and {@code onStatus} (RTMP spec §7.2). */
public final class Responses {

    private Responses() {
    }

    /** A mutable info object of {@code status}: its level, code and description. */
    public static Map<String, Object> info(Status status) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("level", status.level);
        info.put("code", status.code);
        info.put("description", status.description);
        return info;
    }

    /** A {@code _result} to the command with {@code transactionId}, with one argument after the command object. */
    public static CommandMessage result(double transactionId, Object commandObject, Object argument) {
        return CommandMessage.result(transactionId, commandObject, argument);
    }

    /** An {@code _error} to the command with {@code transactionId}, with one argument after the command object. */
    public static CommandMessage error(double transactionId, Object commandObject, Object argument) {
        return CommandMessage.error(transactionId, commandObject, argument);
    }

    public static CommandMessage onStatus(int streamId, Status status) {
        return onStatus(streamId, status, status.description);
    }

    /** The {@code onStatus} of {@code status} on NetStream {@code streamId} with its own description. */
    public static CommandMessage onStatus(int streamId, Status status, String description) {
        return CommandMessage.onStatus(streamId, status.level, status.code, description);
    }
}
