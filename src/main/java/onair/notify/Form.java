package onair.notify;

import onair.lifecycle.Peer;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The {@code application/x-www-form-urlencoded} arguments of one callback, in nginx-rtmp's order (reference §8.1):
 * server-produced values escaped, then the client's own {@code ?args} appended as sent, with only the characters a
 * URL query cannot carry percent-encoded.
 */
final class Form {

    private final StringBuilder text = new StringBuilder();

    Form add(String name, Object value) {
        if (!text.isEmpty()) {
            text.append('&');
        }
        text.append(name).append('=').append(URLEncoder.encode(String.valueOf(value == null ? "" : value),
                StandardCharsets.UTF_8));
        return this;
    }

    /** The common arguments of every callback except {@code on_connect}. */
    Form common(Peer peer) {
        return add("app", peer.app()).add("flashver", peer.flashver()).add("swfurl", peer.swfurl())
                .add("tcurl", peer.tcurl()).add("pageurl", peer.pageurl()).add("addr", peer.addr())
                .add("clientid", peer.clientId());
    }

    Form clientArgs(String args) {
        if (args == null || args.isEmpty()) {
            return this;
        }
        if (!text.isEmpty()) {
            text.append('&');
        }
        byte[] bytes = args.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xFF;
            boolean escapedAlready = b == '%' && i + 2 < bytes.length && hex(bytes[i + 1]) && hex(bytes[i + 2]);
            if (escapedAlready || b > 0x20 && b < 0x7F && "\"#<>\\^`{|}%".indexOf(b) < 0) {
                text.append((char) b);
            } else {
                text.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) b));
            }
        }
        return this;
    }

    private static boolean hex(byte b) {
        return Character.digit(b, 16) >= 0;
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
