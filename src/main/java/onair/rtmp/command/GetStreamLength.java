package onair.rtmp.command;

/**
 * {@code getStreamLength}: the length of a recorded stream, which a live stream answers with 0.
 */
public record GetStreamLength(double transactionId) implements Command {

    @Override
    public String commandName() {
        return "getStreamLength";
    }
}
