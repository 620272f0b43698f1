package onair.rtmp.command;

/**
 * NetConnection {@code connect} (RTMP spec §7.2.1.1): the application and the client's description from the command
 * object; absent or non-string properties read as empty. {@code capabilities} are its Enhanced RTMP ones.
 */
public record Connect(double transactionId, String app, String flashVer, String swfUrl, String tcUrl, String pageUrl,
    double objectEncoding, Capabilities capabilities) implements Command {

    @Override
    public String commandName() {
        return "connect";
    }
}
