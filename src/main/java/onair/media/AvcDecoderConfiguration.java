package onair.media;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * An AVCDecoderConfigurationRecord (ISO/IEC 14496-15 §5.3.3.1, "avcC"), the body of an H.264 sequence header.
 *
 * @param nalLengthSize bytes of the length before each NAL unit of a frame (1, 2 or 4)
 * @param sps           sequence parameter set NAL units, header byte included
 * @param pps           picture parameter set NAL units, header byte included
 */
public record AvcDecoderConfiguration(int profile, int compatibility, int level, int nalLengthSize, List<byte[]> sps,
                                      List<byte[]> pps) {

    public AvcDecoderConfiguration {
        sps = List.copyOf(sps);
        pps = List.copyOf(pps);
    }

    /** Parses a whole record; trailing bytes (the high-profile extension) are ignored. */
    public static AvcDecoderConfiguration parse(byte[] record) {
        BitReader in = new BitReader(record, "avcC");
        int version = in.u(8);
        if (version != 1) {
            throw new MediaFormatException("avcC version " + version + ", not 1");
        }
        int profile = in.u(8);
        int compatibility = in.u(8);
        int level = in.u(8);
        int lengthSize = (in.u(8) & 0x03) + 1;
        if (lengthSize == 3) {
            throw new MediaFormatException("avcC NAL length size 3");
        }
        List<byte[]> sps = nalUnits(in, in.u(8) & 0x1f);
        List<byte[]> pps = nalUnits(in, in.u(8));
        if (sps.isEmpty()) {
            throw new MediaFormatException("avcC without a sequence parameter set");
        }
        return new AvcDecoderConfiguration(profile, compatibility, level, lengthSize, sps, pps);
    }

    /** The first SPS, parsed. */
    public AvcSequenceParameterSet sequenceParameterSet() {
        return AvcSequenceParameterSet.parse(sps.getFirst());
    }

    /** The RFC 6381 codec string for an HLS {@code CODECS} attribute, e.g. {@code avc1.64001f}. */
    public String codecString() {
        return "avc1." + HexFormat.of().toHexDigits((byte) profile) + HexFormat.of().toHexDigits((byte) compatibility)
            + HexFormat.of().toHexDigits((byte) level);
    }

    static List<byte[]> nalUnits(BitReader in, int count) {
        List<byte[]> units = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int length = in.u(16);
            if (length == 0) {
                throw new MediaFormatException("empty NAL unit in a decoder configuration");
            }
            units.add(in.bytes(length));
        }
        return units;
    }
}
