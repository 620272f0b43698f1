package onair.rtmp.command;

/**
 * NetStream {@code play} (RTMP spec §7.2.2.1) of {@code name} (with its {@code ?query}); {@code start} is -2 and
 * {@code duration} -1 when absent, and {@code reset} is true unless sent as false.
 */
public record Play(int streamId, String name, double start, double duration, boolean reset) implements Command {

    @Override
    public String commandName() {
        return "play";
    }
}
