package onair.lifecycle;

/**
 * The outcome of admitting a connect, publish or play: go on, go on under another name ({@code Location} of a 3xx
 * callback reply), or refuse with a reason for the log line and a description for the client's status, which never
 * names the callback's URL.
 */
public record Decision(Verdict verdict, String location, String reason, String description) {

    /** What the server does with the command. */
    public enum Verdict { ALLOW, REDIRECT, REJECT }

    public static final Decision ALLOW = new Decision(Verdict.ALLOW, null, null, null);

    public static Decision redirect(String location) {
        return new Decision(Verdict.REDIRECT, location, null, null);
    }

    /** A refusal whose reason the client may read as it is. */
    public static Decision reject(String reason) {
        return new Decision(Verdict.REJECT, null, reason, reason);
    }

    public static Decision reject(String reason, String description) {
        return new Decision(Verdict.REJECT, null, reason, description);
    }

    public boolean allowed() {
        return verdict != Verdict.REJECT;
    }
}
