package onair.rtmp.command;

/**
 * NetStream {@code publish} (RTMP spec §7.2.2.6) of {@code name} (with its {@code ?query}); {@code type} is {@code
 * live} when absent.
 */
public record Publish(int streamId, String name, String type) implements Command {

    @Override
    public String commandName() {
        return "publish";
    }
}
