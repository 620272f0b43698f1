package onair.rtmp.command;

/**
 * NetStream {@code receiveAudio} (RTMP spec §7.2.2.4): whether the player wants audio.
 */
public record ReceiveAudio(int streamId, boolean receive) implements Command {

    @Override
    public String commandName() {
        return "receiveAudio";
    }
}
