package onair.rtmp.command;

/**
 * Flash Media Encoder's {@code FCUnpublish}: ends the publishing of {@code name} (with its {@code ?query}) on this
 * connection.
 */
public record FcUnpublish(String name) implements Command {

    @Override
    public String commandName() {
        return "FCUnpublish";
    }
}
