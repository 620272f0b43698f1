package onair.rtmp.command;

import onair.rtmp.RtmpProtocolException;
import onair.rtmp.message.CommandMessage;

import java.util.List;
import java.util.Map;

/**
 * A NetConnection or NetStream command a client sends a server (RTMP spec §7.2), read once from its
 * {@link CommandMessage} with the defaults nginx-rtmp applies to missing arguments.
 */
public sealed interface Command permits Connect, CreateStream, Publish, Play, Pause, Seek, DeleteStream,
    CloseStream, FcUnpublish, ReceiveAudio, ReceiveVideo, GetStreamLength, Ignored, Unknown {

    /** The command's name as sent, such as {@code publish}. */
    String commandName();

    /**
     * The command {@code message} carries. A {@code connect} without a command object and a {@code publish} or
     * {@code play} without a stream name are protocol errors.
     */
    static Command parse(CommandMessage message) {
        List<Object> arguments = message.arguments();
        int streamId = message.streamId();
        return switch (message.name()) {
            case "connect" -> connect(message);
            case "createStream" -> new CreateStream(message.transactionId());
            case "publish" -> new Publish(streamId, streamName(message), string(arguments, 1, "live"));
            case "play" -> new Play(streamId, streamName(message), number(arguments, 1, -2), number(arguments, 2, -1),
                arguments.size() < 4 || !(arguments.get(3) instanceof Boolean reset) || reset);
            case "pause" -> new Pause(streamId, bool(arguments, 0));
            case "seek" -> new Seek(streamId, Math.max(0, number(arguments, 0, 0)));
            case "deleteStream" -> !arguments.isEmpty() && arguments.getFirst() instanceof Number deleted
                ? new DeleteStream(deleted.intValue()) : new Ignored(message.name());
            case "closeStream" -> new CloseStream(streamId);
            case "FCUnpublish" -> !arguments.isEmpty() && arguments.getFirst() instanceof String name
                ? new FcUnpublish(name) : new Ignored(message.name());
            case "receiveAudio" -> new ReceiveAudio(streamId, bool(arguments, 0));
            case "receiveVideo" -> new ReceiveVideo(streamId, bool(arguments, 0));
            case "getStreamLength" -> new GetStreamLength(message.transactionId());
            case "releaseStream", "FCPublish", "FCSubscribe", "_checkbw", "_result", "_error", "onBWDone",
                 "onStatus" -> new Ignored(message.name());
            default -> new Unknown(message.name());
        };
    }

    private static Connect connect(CommandMessage message) {
        if (!(message.commandObject() instanceof Map<?, ?> properties)) {
            throw new RtmpProtocolException("connect without a command object");
        }
        return new Connect(message.transactionId(), text(properties.get("app")), text(properties.get("flashVer")),
            text(properties.get("swfUrl")), text(properties.get("tcUrl")), text(properties.get("pageUrl")),
            properties.get("objectEncoding") instanceof Number encoding ? encoding.doubleValue() : 0.0,
            Capabilities.read(properties));
    }

    private static String streamName(CommandMessage message) {
        if (message.arguments().isEmpty() || !(message.arguments().getFirst() instanceof String name)) {
            throw new RtmpProtocolException(message.name() + " without a stream name");
        }
        return name;
    }

    private static String text(Object value) {
        return value instanceof String s ? s : "";
    }

    private static String string(List<Object> arguments, int index, String absent) {
        return arguments.size() > index && arguments.get(index) instanceof String s ? s : absent;
    }

    private static double number(List<Object> arguments, int index, double absent) {
        return arguments.size() > index && arguments.get(index) instanceof Number n ? n.doubleValue() : absent;
    }

    private static boolean bool(List<Object> arguments, int index) {
        return arguments.size() > index && arguments.get(index) instanceof Boolean b && b;
    }
}
