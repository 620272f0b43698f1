package onair.rtmpserver;

import io.netty.handler.ssl.NotSslRecordException;

import java.util.ArrayList;
import java.util.List;

/** A TLS failure told in the words a close log line uses, such as a plain RTMP client on an {@code ssl} port. */
final class TlsFailure {

    private TlsFailure() {
    }

    /** The reasons in {@code cause} and up to two of its causes, each once, without exception class names. */
    static String reason(Throwable cause) {
        if (cause instanceof NotSslRecordException) {
            return "not a TLS record (plain RTMP on an ssl port?)";
        }
        List<String> reasons = new ArrayList<>();
        for (Throwable c = cause; c != null && reasons.size() < 3; c = c.getCause()) {
            String message = String.valueOf(c.getMessage());
            int nested = message.lastIndexOf("Exception: ");
            String reason = (nested < 0 ? message : message.substring(nested + "Exception: ".length())).strip();
            if (reasons.isEmpty() || !reasons.getLast().contains(reason)) {
                reasons.add(reason);
            }
        }
        return String.join(": ", reasons);
    }
}
