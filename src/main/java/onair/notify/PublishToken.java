package onair.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Onair's signed publish URLs ({@code publish_token_secret}): a publisher of {@code NAME} in application {@code APP}
 * sends {@code NAME?expires=UNIX&token=HEX}, where {@code HEX} is the lower-case hex HMAC-SHA256 under the secret of
 * {@code APP/NAME:UNIX}, and {@code UNIX} (seconds since the epoch) is not in the past.
 */
public final class PublishToken {

    private PublishToken() {}

    /** The token for publishing {@code name} in {@code app} until {@code expires} (Unix seconds). */
    public static String sign(String secret, String app, String name, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((app + "/" + name + ":" + expires)
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /**
     * Why the publish arguments {@code args} carry no valid token for {@code app}/{@code name} at {@code now} (Unix
     * seconds), or null when they do.
     */
    static String problem(String secret, String app, String name, String args, long now) {
        String expires = null;
        String token = null;
        for (String pair : args.split("&")) {
            if (pair.startsWith("expires=")) {
                expires = pair.substring("expires=".length());
            } else if (pair.startsWith("token=")) {
                token = pair.substring("token=".length());
            }
        }
        if (expires == null || token == null) {
            return "missing publish token (expires= and token= arguments)";
        }
        if (expires.isEmpty() || expires.length() > 18 || !expires.chars().allMatch(Character::isDigit)) {
            return "invalid publish token expiry \"" + expires + "\"";
        }
        String expected = sign(secret, app, name, Long.parseLong(expires));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                token.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            return "invalid publish token";
        }
        if (Long.parseLong(expires) < now) {
            return "expired publish token (expired at " + expires + ")";
        }
        return null;
    }
}
