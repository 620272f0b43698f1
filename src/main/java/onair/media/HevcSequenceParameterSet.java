package onair.media;

/**
 * The start of an HEVC sequence parameter set (ITU-T H.265 §7.3.2.2.1) up to the conformance window: profile, tier,
 * level and the displayed picture size.
 */
public record HevcSequenceParameterSet(int profile, boolean highTier, int level, int width, int height) {

    private static final int MAX_DIMENSION = 16_888;

    /** Parses one SPS NAL unit, two-byte header included, emulation-prevention bytes and all. */
    public static HevcSequenceParameterSet parse(byte[] nal) {
        BitReader in = new BitReader(BitReader.unescape(nal), "HEVC SPS");
        int type = in.u(16) >> 9 & 0x3f;
        if (type != 33) {
            throw new MediaFormatException("HEVC SPS has NAL unit type " + type + ", not 33");
        }
        in.skip(4);
        int maxSubLayersMinus1 = in.u(3);
        in.skip(1);
        in.skip(2);
        boolean highTier = in.flag();
        int profile = in.u(5);
        in.skip(32 + 48);
        int level = in.u(8);
        boolean[] profilePresent = new boolean[maxSubLayersMinus1];
        boolean[] levelPresent = new boolean[maxSubLayersMinus1];
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            profilePresent[i] = in.flag();
            levelPresent[i] = in.flag();
        }
        if (maxSubLayersMinus1 > 0) {
            in.skip(2L * (8 - maxSubLayersMinus1));
        }
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            in.skip((profilePresent[i] ? 88 : 0) + (levelPresent[i] ? 8 : 0));
        }
        in.ue(15, "sps_seq_parameter_set_id");
        int chromaFormat = in.ue(3, "chroma_format_idc");
        if (chromaFormat == 3 && in.flag()) {
            chromaFormat = 0;
        }
        int width = in.ue(MAX_DIMENSION, "pic_width_in_luma_samples");
        int height = in.ue(MAX_DIMENSION, "pic_height_in_luma_samples");
        if (in.flag()) {
            int subWidth = chromaFormat == 1 || chromaFormat == 2 ? 2 : 1;
            int subHeight = chromaFormat == 1 ? 2 : 1;
            long horizontal = (long) in.ue(MAX_DIMENSION, "conf_win_left_offset")
                + in.ue(MAX_DIMENSION, "conf_win_right_offset");
            long vertical = (long) in.ue(MAX_DIMENSION, "conf_win_top_offset")
                + in.ue(MAX_DIMENSION, "conf_win_bottom_offset");
            width -= (int) Math.min(width, subWidth * horizontal);
            height -= (int) Math.min(height, subHeight * vertical);
        }
        if (width == 0 || height == 0) {
            throw new MediaFormatException("HEVC SPS has an empty picture");
        }
        return new HevcSequenceParameterSet(profile, highTier, level, width, height);
    }
}
