package onair.rtmp.command;

import onair.rtmp.message.CommandMessage;

import java.util.LinkedHashMap;
import java.util.List;
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

    /**
     * The {@code _result} of an accepted {@code connect}: nginx-rtmp's server properties, followed by the server's
     * Enhanced RTMP {@code capabilities} when the client announced its own, and the success info object with the
     * client's object encoding.
     */
    public static CommandMessage connectResult(Connect connect, Capabilities capabilities) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("fmsVer", "FMS/3,0,1,123");
        properties.put("capabilities", 31.0);
        if (connect.capabilities().announced()) {
            capabilities.putInto(properties);
        }
        Map<String, Object> info = info(Status.CONNECT_SUCCESS);
        info.put("objectEncoding", connect.objectEncoding());
        return result(connect.transactionId(), properties, info);
    }

    /** A {@code _result} to the command with {@code transactionId}, with one argument after the command object. */
    public static CommandMessage result(double transactionId, Object commandObject, Object argument) {
        return CommandMessage.result(transactionId, commandObject, argument);
    }

    /** An {@code _error} to the command with {@code transactionId}, with one argument after the command object. */
    public static CommandMessage error(double transactionId, Object commandObject, Object argument) {
        return CommandMessage.error(transactionId, commandObject, argument);
    }

    /**
     * The NetConnection {@code onStatus} of an Enhanced RTMP v2 {@code NetConnection.Connect.ReconnectRequest}:
     * transaction 0, no command object, the info object with {@code description} (the status's own when null) and,
     * unless null, the {@code tcUrl} to reconnect to.
     */
    public static CommandMessage reconnectRequest(String tcUrl, String description) {
        Map<String, Object> info = info(Status.CONNECT_RECONNECT_REQUEST);
        if (description != null) {
            info.put("description", description);
        }
        if (tcUrl != null) {
            info.put("tcUrl", tcUrl);
        }
        return new CommandMessage(0, 0, "onStatus", 0, null, List.of(info));
    }

    public static CommandMessage onStatus(int streamId, Status status) {
        return onStatus(streamId, status, status.description);
    }

    /** The {@code onStatus} of {@code status} on NetStream {@code streamId} with its own description. */
    public static CommandMessage onStatus(int streamId, Status status, String description) {
        return CommandMessage.onStatus(streamId, status.level, status.code, description);
    }
}
