package onair.rtmp.command;

/**
 * NetStream {@code seek} (RTMP spec §7.2.2.7): jump to {@code milliseconds} into a file being played; negative
 * offsets are read as 0.
 */
public record Seek(int streamId, double milliseconds) implements Command {

    @Override
    public String commandName() {
        return "seek";
    }
}
