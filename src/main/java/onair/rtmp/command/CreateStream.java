package onair.rtmp.command;

/**
 * NetConnection {@code createStream} (RTMP spec §7.2.1.3): asks for a new NetStream.
 */
public record CreateStream(double transactionId) implements Command {

    @Override
    public String commandName() {
        return "createStream";
    }
}
