package onair.rtmp.command;

/**
 * A command a server takes no action on: {@code releaseStream}, {@code FCPublish}, {@code FCSubscribe},
 * {@code _checkbw}, replies such as {@code _result}, and a {@code deleteStream} or {@code FCUnpublish} without a
 * usable argument.
 */
public record Ignored(String commandName) implements Command {
}
