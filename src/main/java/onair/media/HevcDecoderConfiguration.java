package onair.media;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * An HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 §8.3.3.1, "hvcC"), the body of an HEVC sequence start.
 *
 * @param compatibilityFlags general_profile_compatibility_flags, flag 0 in the most significant bit
 * @param constraintFlags    the 48 general constraint indicator flags
 * @param nalLengthSize      bytes of the length before each NAL unit of a frame (1, 2 or 4)
 * @param vps                video parameter set NAL units, two-byte header included
 * @param sps                sequence parameter set NAL units
 * @param pps                picture parameter set NAL units
 */
public record HevcDecoderConfiguration(int profileSpace, boolean highTier, int profile, int compatibilityFlags,
                                       long constraintFlags, int level, int nalLengthSize, List<byte[]> vps,
                                       List<byte[]> sps, List<byte[]> pps) {

    private static final int VPS = 32;
    private static final int SPS = 33;
    private static final int PPS = 34;

    public HevcDecoderConfiguration {
        vps = List.copyOf(vps);
        sps = List.copyOf(sps);
        pps = List.copyOf(pps);
    }

    /** Parses a whole record; arrays of other NAL unit types (SEI) are skipped. */
    public static HevcDecoderConfiguration parse(byte[] record) {
        BitReader in = new BitReader(record, "hvcC");
        int version = in.u(8);
        if (version != 1) {
            throw new MediaFormatException("hvcC version " + version + ", not 1");
        }
        int profileSpace = in.u(2);
        boolean highTier = in.flag();
        int profile = in.u(5);
        int compatibility = (int) in.bits(32);
        long constraints = in.bits(48);
        int level = in.u(8);
        in.skip(16 + 8 + 8 + 8 + 8 + 16 + 6);
        int lengthSize = in.u(2) + 1;
        if (lengthSize == 3) {
            throw new MediaFormatException("hvcC NAL length size 3");
        }
        List<byte[]> vps = new ArrayList<>();
        List<byte[]> sps = new ArrayList<>();
        List<byte[]> pps = new ArrayList<>();
        int arrays = in.u(8);
        for (int i = 0; i < arrays; i++) {
            int type = in.u(8) & 0x3f;
            List<byte[]> units = AvcDecoderConfiguration.nalUnits(in, in.u(16));
            switch (type) {
                case VPS -> vps.addAll(units);
                case SPS -> sps.addAll(units);
                case PPS -> pps.addAll(units);
                default -> { }
            }
        }
        if (sps.isEmpty()) {
            throw new MediaFormatException("hvcC without a sequence parameter set");
        }
        return new HevcDecoderConfiguration(profileSpace, highTier, profile, compatibility, constraints, level,
            lengthSize, vps, sps, pps);
    }

    /** The first SPS, parsed. */
    public HevcSequenceParameterSet sequenceParameterSet() {
        return HevcSequenceParameterSet.parse(sps.getFirst());
    }

    /**
     * The codec string for an HLS {@code CODECS} attribute (ISO/IEC 14496-15 Annex E.3), e.g. {@code hvc1.1.6.L93.B0}:
     * profile space and profile, compatibility flags in reverse bit order, tier and level, then the constraint bytes
     * without trailing zero bytes.
     */
    public String codecString() {
        StringBuilder codec = new StringBuilder("hvc1.");
        if (profileSpace > 0) {
            codec.append((char) ('A' + profileSpace - 1));
        }
        codec.append(profile).append('.').append(Integer.toHexString(Integer.reverse(compatibilityFlags)).toUpperCase())
            .append('.').append(highTier ? 'H' : 'L').append(level);
        int bytes = 6;
        while (bytes > 0 && ((constraintFlags >>> (8 * (6 - bytes))) & 0xff) == 0) {
            bytes--;
        }
        for (int i = 0; i < bytes; i++) {
            codec.append('.').append(HexFormat.of().toHexDigits((byte) (constraintFlags >>> (40 - 8 * i))).toUpperCase());
        }
        return codec.toString();
    }
}
