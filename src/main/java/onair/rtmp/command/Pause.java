package onair.rtmp.command;

/**
 * NetStream {@code pause} (RTMP spec §7.2.2.8): pauses when {@code pause}, resumes otherwise.
 */
public record Pause(int streamId, boolean pause) implements Command {

    @Override
    public String commandName() {
        return "pause";
    }
}
