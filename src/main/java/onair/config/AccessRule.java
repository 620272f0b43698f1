package onair.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * One {@code allow} or {@code deny} directive (nginx-rtmp reference §2): whether it allows, which actions it covers
 * and the addresses it matches, an address or a CIDR network ({@code network} null for {@code all}).
 */
public record AccessRule(boolean allow, boolean publish, boolean play, InetAddress network, int prefixLength) {

    public AccessRule {
        if (!publish && !play) {
            throw new IllegalArgumentException("a rule covers publish, play or both");
        }
        if (network != null) {
            int bits = network.getAddress().length * 8;
            if (prefixLength < 0 || prefixLength > bits) {
                throw new IllegalArgumentException("prefix length must be between 0 and " + bits);
            }
        }
    }

    /**
     * Whether this rule applies to {@code address} (null: only {@code all} matches) doing a publish or a play; an
     * IPv4-mapped IPv6 address matches IPv4 rules. An HTTP rule covers both actions.
     */
    public boolean matches(InetAddress address, boolean publishing) {
        if (publishing ? !publish : !play) {
            return false;
        }
        if (network == null) {
            return true;
        }
        if (address == null) {
            return false;
        }
        byte[] want = network.getAddress();
        byte[] have = address.getAddress();
        if (have.length == 16 && want.length == 4 && isMappedIpv4(have)) {
            have = Arrays.copyOfRange(have, 12, 16);
        }
        if (want.length != have.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (want[i] != have[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return rest == 0 || (want[full] & mask) == (have[full] & mask);
    }

    private static boolean isMappedIpv4(byte[] address) {
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return address[10] == (byte) 0xFF && address[11] == (byte) 0xFF;
    }

    /**
     * Parses the arguments of {@code allow}/{@code deny}: optional {@code publish} and/or {@code play}, then an
     * address, a CIDR network or {@code all}. Host bits set in a network are cleared, as nginx does.
     */
    static AccessRule parse(boolean allow, List<String> args) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("an address, a network or \"all\" is required");
        }
        boolean publish = false;
        boolean play = false;
        for (String action : args.subList(0, args.size() - 1)) {
            switch (action) {
                case "publish" -> publish = true;
                case "play" -> play = true;
                default -> throw new IllegalArgumentException("unexpected \"" + action
                        + "\", the actions are \"publish\" and \"play\"");
            }
        }
        if (!publish && !play) {
            publish = play = true;
        }
        String target = args.getLast();
        if (target.equals("all")) {
            return new AccessRule(allow, publish, play, null, 0);
        }
        int slash = target.indexOf('/');
        InetAddress address = literal(slash < 0 ? target : target.substring(0, slash));
        int bits = address.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String digits = target.substring(slash + 1);
            if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(Character::isDigit)
                    || Integer.parseInt(digits) > bits) {
                throw new IllegalArgumentException("the prefix length must be between 0 and " + bits);
            }
            prefix = Integer.parseInt(digits);
        }
        return new AccessRule(allow, publish, play, masked(address, prefix), prefix);
    }

    private static InetAddress literal(String text) {
        boolean v4 = text.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = text.contains(":") && text.matches("[0-9A-Fa-f:.]+");
        if (v4 || v6) {
            try {
                return InetAddress.getByName(text);
            } catch (UnknownHostException e) {
                // not a literal after all: reported below
            }
        }
        throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 or IPv6 address");
    }

    private static InetAddress masked(InetAddress address, int prefix) {
        byte[] bytes = address.getAddress();
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            bytes[i] &= (byte) ((0xFF << (8 - keep)) & 0xFF);
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
