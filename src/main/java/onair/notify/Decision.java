package onair.notify;

/**
 * The outcome of admitting a connect, publish or play: go on, go on under another name ({@code Location} of a 3xx
 * callback reply), or refuse with a reason for the log line and the client's status description.
 */
public record Decision(Verdict verdict, String location, String reason) {

    /** What the server does with the command. */
    public enum Verdict { ALLOW, REDIRECT, REJECT }

    public static final Decision ALLOW = new Decision(Verdict.ALLOW, null, null);

    public static Decision redirect(String location) {
        return new Decision(Verdict.REDIRECT, location, null);
    }

    public static Decision reject(String reason) {
        return new Decision(Verdict.REJECT, null, reason);
    }

    public boolean allowed() {
        return verdict != Verdict.REJECT;
    }
}
