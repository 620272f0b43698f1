package onair.rtmp.command;

/**
 * NetStream {@code deleteStream} (RTMP spec §7.2.2.3) of the NetStream {@code deletedStreamId} named in its argument.
 */
public record DeleteStream(int deletedStreamId) implements Command {

    @Override
    public String commandName() {
        return "deleteStream";
    }
}
