package onair.rtmp.handshake;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * The HMAC-SHA256 digests of the digest ("complex") handshake that Flash Player and FMS use beyond RTMP spec §5.2,
 * as librtmp (handshake.h) and ffmpeg (rtmpproto.c) compute them.
 */
final class HandshakeDigest {

    static final int PACKET_SIZE = 1536;
    static final int DIGEST_LENGTH = 32;
    static final int SCHEME_0_BASE = 8;
    static final int SCHEME_1_BASE = 772;

    private static final byte[] KEY_TAIL = {
        (byte) 0xF0, (byte) 0xEE, (byte) 0xC2, (byte) 0x4A, (byte) 0x80, (byte) 0x68, (byte) 0xBE, (byte) 0xE8,
        (byte) 0x2E, (byte) 0x00, (byte) 0xD0, (byte) 0xD1, (byte) 0x02, (byte) 0x9E, (byte) 0x7E, (byte) 0x57,
        (byte) 0x6E, (byte) 0xEC, (byte) 0x5D, (byte) 0x2D, (byte) 0x29, (byte) 0x80, (byte) 0x6F, (byte) 0xAB,
        (byte) 0x93, (byte) 0xB8, (byte) 0xE6, (byte) 0x36, (byte) 0xCF, (byte) 0xEB, (byte) 0x31, (byte) 0xAE,
    };
    static final byte[] PLAYER_KEY = key("Genuine Adobe Flash Player 001");
    static final byte[] SERVER_KEY = key("Genuine Adobe Flash Media Server 001");
    static final int PLAYER_KEY_OPEN_PART = 30;
    static final int SERVER_KEY_OPEN_PART = 36;

    private HandshakeDigest() {
    }

    private static byte[] key(String openPart) {
        byte[] open = openPart.getBytes(StandardCharsets.US_ASCII);
        byte[] key = Arrays.copyOf(open, open.length + KEY_TAIL.length);
        System.arraycopy(KEY_TAIL, 0, key, open.length, KEY_TAIL.length);
        return key;
    }

    /** Where the digest of a packet sits under the scheme whose four offset bytes start at {@code base}. */
    static int offset(byte[] packet, int base) {
        int sum = (packet[base] & 0xFF) + (packet[base + 1] & 0xFF) + (packet[base + 2] & 0xFF) + (packet[base + 3] & 0xFF);
        return sum % 728 + base + 4;
    }

    /** HMAC-SHA256 of the packet without the 32 digest bytes at {@code digestOffset}. */
    static byte[] packetDigest(byte[] packet, int digestOffset, byte[] key, int keyLength) {
        Mac mac = mac(key, keyLength);
        mac.update(packet, 0, digestOffset);
        mac.update(packet, digestOffset + DIGEST_LENGTH, packet.length - digestOffset - DIGEST_LENGTH);
        return mac.doFinal();
    }

    static byte[] hmac(byte[] key, byte[] data, int length) {
        Mac mac = mac(key, key.length);
        mac.update(data, 0, length);
        return mac.doFinal();
    }

    /**
     * The base of the scheme under which the packet carries a valid digest, trying scheme 1 then scheme 0 as
     * nginx-rtmp does; -1 if neither.
     */
    static int findScheme(byte[] packet, byte[] key, int keyLength) {
        for (int base : new int[] {SCHEME_1_BASE, SCHEME_0_BASE}) {
            int offset = offset(packet, base);
            if (Arrays.equals(packetDigest(packet, offset, key, keyLength), 0, DIGEST_LENGTH,
                    packet, offset, offset + DIGEST_LENGTH)) {
                return base;
            }
        }
        return -1;
    }

    private static Mac mac(byte[] key, int keyLength) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, 0, keyLength, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
