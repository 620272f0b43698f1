package onair.rtmp.command;

/**
 * {@code closeStream}: ends what NetStream {@code streamId} publishes or plays and keeps the NetStream.
 */
public record CloseStream(int streamId) implements Command {

    @Override
    public String commandName() {
        return "closeStream";
    }
}
