package onair.hls;

import onair.config.HlsConfig;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-128 keys of one publication's segments with {@code hls_keys on}: a fresh random key for the first segment
 * and again every {@code hls_fragments_per_key} segments, as nginx-rtmp rotates them.
 */
final class SegmentKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final HlsConfig config;
    private final HlsOutput.Layout layout;
    private Key current;
    private int segmentsWithKey;

    SegmentKeys(HlsConfig config, HlsOutput.Layout layout) {
        this.config = config;
        this.layout = layout;
    }

    /**
     * One segment's key and its file name.
     *
     * @param fresh first used by this segment, so its key file is to be written with it
     */
    record Key(byte[] bytes, String name, boolean fresh) {
    }

    /** The key of segment {@code sequence}, opened now: the current key, or a fresh one when due; null without keys. */
    Key next(long sequence) {
        if (!config.keys()) {
            return null;
        }
        if (current == null || config.fragmentsPerKey() > 0 && segmentsWithKey >= config.fragmentsPerKey()) {
            byte[] bytes = new byte[16];
            RANDOM.nextBytes(bytes);
            current = new Key(bytes, layout.keyName(sequence), true);
            segmentsWithKey = 1;
            return current;
        }
        segmentsWithKey++;
        return new Key(current.bytes(), current.name(), false);
    }

    /** The segment using {@code key} was dropped: a key it introduced is never written, so the next segment gets a fresh one. */
    void dropped(Key key) {
        if (key != null && key.fresh()) {
            current = null;
        }
    }

    /** AES-128-CBC with PKCS#7 padding over the whole segment (RFC 8216 §4.3.2.4), the IV being its sequence number. */
    static byte[] encrypt(byte[] segment, byte[] key, long sequence) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(Playlist.iv(sequence)));
            return cipher.doFinal(segment);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-128-CBC is not available", e);
        }
    }
}
