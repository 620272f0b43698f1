package onair.rtmp.command;

/**
 * A command this server does not know; it is ignored.
 */
public record Unknown(String commandName) implements Command {
}
