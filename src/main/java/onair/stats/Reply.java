package onair.stats;

/** An HTTP answer the statistics and control endpoints give, for the HTTP layer to send as it is. */
public record Reply(int status, String contentType, String body) {

    public static Reply text(int status, String body) {
        return new Reply(status, "text/plain", body);
    }
}
