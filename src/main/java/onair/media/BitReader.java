package onair.media;

/**
 * Reads bits most significant first from a byte array, with the Exp-Golomb codes of ITU-T H.264 §9.1 and H.265 §9.2;
 * reading past the end throws {@link MediaFormatException}.
 */
final class BitReader {

    private final byte[] data;
    private final String what;
    private long position;

    BitReader(byte[] data, String what) {
        this.data = data;
        this.what = what;
    }

    /** {@code nal} without its emulation-prevention bytes (H.264 §7.4.1: 0x000003 → 0x0000). */
    static byte[] unescape(byte[] nal) {
        byte[] out = new byte[nal.length];
        int n = 0;
        int zeros = 0;
        for (byte b : nal) {
            if (zeros >= 2 && b == 3) {
                zeros = 0;
                continue;
            }
            zeros = b == 0 ? zeros + 1 : 0;
            out[n++] = b;
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    int bit() {
        if (position >= (long) data.length * 8) {
            throw new MediaFormatException(what + " ends early");
        }
        int b = (data[(int) (position >>> 3)] >> (7 - (int) (position & 7))) & 1;
        position++;
        return b;
    }

    boolean flag() {
        return bit() == 1;
    }

    /** Up to 32 bits as an unsigned value. */
    long bits(int count) {
        long value = 0;
        for (int i = 0; i < count; i++) {
            value = (value << 1) | bit();
        }
        return value;
    }

    int u(int count) {
        return (int) bits(count);
    }

    /** {@code count} whole bytes from a byte boundary. */
    byte[] bytes(int count) {
        if ((position & 7) != 0 || count < 0 || (position >>> 3) + count > data.length) {
            throw new MediaFormatException(what + " ends early");
        }
        int from = (int) (position >>> 3);
        position += (long) count * 8;
        return java.util.Arrays.copyOfRange(data, from, from + count);
    }

    void skip(long count) {
        if (count < 0 || position + count > (long) data.length * 8) {
            throw new MediaFormatException(what + " ends early");
        }
        position += count;
    }

    /** ue(v), at most 2^31 - 2. */
    int ue() {
        int zeros = 0;
        while (bit() == 0) {
            if (++zeros > 30) {
                throw new MediaFormatException(what + " has an Exp-Golomb code longer than 31 bits");
            }
        }
        return (int) ((1L << zeros) - 1 + bits(zeros));
    }

    /** ue(v) that must not exceed {@code max}. */
    int ue(int max, String field) {
        int value = ue();
        if (value > max) {
            throw new MediaFormatException(what + " " + field + " " + value + " is above " + max);
        }
        return value;
    }

    /** se(v). */
    int se() {
        int k = ue();
        return (k & 1) == 1 ? (k + 1) / 2 : -(k / 2);
    }
}
