package onair.rtmp.command;

/**
 * NetStream {@code receiveVideo} (RTMP spec §7.2.2.5): whether the player wants video.
 */
public record ReceiveVideo(int streamId, boolean receive) implements Command {

    @Override
    public String commandName() {
        return "receiveVideo";
    }
}
