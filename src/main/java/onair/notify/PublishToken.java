package onair.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Onair's signed publish URLs ({@code publish_token_secret}): a publisher of {@code NAME} in application {@code APP}
 * sends {@code NAME?expires=UNIX&token=HEX}, where {@code HEX} is the lower-case hex HMAC-SHA256 under the secret of
 * {@code APP/NAME:UNIX}, and {@code UNIX} (seconds since the epoch) is not in the past.
 */
public final class PublishToken {

    /** The usage line of {@code onair token}. */
    public static final String USAGE = "usage: onair token -a APP -n NAME [-e SECONDS] [-s SECRET]"
            + " (SECRET defaults to $ONAIR_PUBLISH_TOKEN_SECRET, SECONDS to 3600)";

    private PublishToken() {}

    /**
     * {@code onair token}: the publish name with its token, {@code NAME?expires=UNIX&token=HEX}, valid for
     * {@code -e} seconds from {@code now}; {@code secret} is used when {@code -s} is not given.
     *
     * @throws IllegalArgumentException with what is wrong and the usage
     */
    public static String command(List<String> args, String secret, long now) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.size(); i += 2) {
            String flag = args.get(i);
            if (!List.of("-a", "-n", "-e", "-s").contains(flag) || i + 1 >= args.size()) {
                throw new IllegalArgumentException("unexpected \"" + flag + "\"\n" + USAGE);
            }
            options.put(flag, args.get(i + 1));
        }
        String key = options.getOrDefault("-s", secret);
        if (!options.containsKey("-a") || !options.containsKey("-n") || key == null || key.isEmpty()) {
            throw new IllegalArgumentException("the application, the name and the secret are required\n" + USAGE);
        }
        String seconds = options.getOrDefault("-e", "3600");
        if (seconds.isEmpty() || seconds.length() > 9 || !seconds.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("-e takes a number of seconds\n" + USAGE);
        }
        long expires = now + Long.parseLong(seconds);
        String name = options.get("-n");
        return name + "?expires=" + expires + "&token=" + sign(key, options.get("-a"), name, expires);
    }

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
