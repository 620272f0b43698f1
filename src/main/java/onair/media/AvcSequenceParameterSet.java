package onair.media;

/**
 * The parts of an H.264 sequence parameter set (ITU-T H.264 §7.3.2.1.1) an HLS playlist needs: profile, level, the
 * displayed size after cropping, and the frame rate from the VUI timing info (§E.1.1) when present.
 *
 * @param frameRate frames per second ({@code time_scale / (2 * num_units_in_tick)}), or 0 without timing info
 */
public record AvcSequenceParameterSet(int profileIdc, int constraintFlags, int levelIdc, int width, int height,
                                      double frameRate) {

    private static final int MAX_DIMENSION = 16_384;

    /** Parses one SPS NAL unit, header byte included, emulation-prevention bytes and all. */
    public static AvcSequenceParameterSet parse(byte[] nal) {
        BitReader in = new BitReader(BitReader.unescape(nal), "H.264 SPS");
        int header = in.u(8);
        if ((header & 0x1f) != 7) {
            throw new MediaFormatException("H.264 SPS has NAL unit type " + (header & 0x1f) + ", not 7");
        }
        int profile = in.u(8);
        int constraints = in.u(8);
        int level = in.u(8);
        in.ue(31, "seq_parameter_set_id");
        int chromaFormat = 1;
        boolean separateColourPlanes = false;
        if (highProfile(profile)) {
            chromaFormat = in.ue(3, "chroma_format_idc");
            if (chromaFormat == 3) {
                separateColourPlanes = in.flag();
            }
            in.ue(6, "bit_depth_luma_minus8");
            in.ue(6, "bit_depth_chroma_minus8");
            in.skip(1);
            if (in.flag()) {
                for (int i = 0; i < (chromaFormat == 3 ? 12 : 8); i++) {
                    if (in.flag()) {
                        skipScalingList(in, i < 6 ? 16 : 64);
                    }
                }
            }
        }
        in.ue(12, "log2_max_frame_num_minus4");
        int pocType = in.ue(2, "pic_order_cnt_type");
        if (pocType == 0) {
            in.ue(12, "log2_max_pic_order_cnt_lsb_minus4");
        } else if (pocType == 1) {
            in.skip(1);
            in.se();
            in.se();
            int cycle = in.ue(255, "num_ref_frames_in_pic_order_cnt_cycle");
            for (int i = 0; i < cycle; i++) {
                in.se();
            }
        }
        in.ue(32, "max_num_ref_frames");
        in.skip(1);
        int widthInMbs = in.ue(MAX_DIMENSION / 16, "pic_width_in_mbs_minus1") + 1;
        int heightInMapUnits = in.ue(MAX_DIMENSION / 16, "pic_height_in_map_units_minus1") + 1;
        boolean frameMbsOnly = in.flag();
        if (!frameMbsOnly) {
            in.skip(1);
        }
        in.skip(1);
        int width = widthInMbs * 16;
        int height = (frameMbsOnly ? 1 : 2) * heightInMapUnits * 16;
        if (in.flag()) {
            int chromaArrayType = separateColourPlanes ? 0 : chromaFormat;
            int cropX = chromaArrayType == 0 || chromaArrayType == 3 ? 1 : 2;
            int cropY = (chromaArrayType == 1 ? 2 : 1) * (frameMbsOnly ? 1 : 2);
            long left = in.ue(MAX_DIMENSION, "frame_crop_left_offset");
            long right = in.ue(MAX_DIMENSION, "frame_crop_right_offset");
            long top = in.ue(MAX_DIMENSION, "frame_crop_top_offset");
            long bottom = in.ue(MAX_DIMENSION, "frame_crop_bottom_offset");
            width -= (int) Math.min(width, cropX * (left + right));
            height -= (int) Math.min(height, cropY * (top + bottom));
            if (width == 0 || height == 0) {
                throw new MediaFormatException("H.264 SPS crops the whole picture away");
            }
        }
        double frameRate = in.flag() ? vuiFrameRate(in) : 0;
        return new AvcSequenceParameterSet(profile, constraints, level, width, height, frameRate);
    }

    private static boolean highProfile(int profile) {
        return switch (profile) {
            case 100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135 -> true;
            default -> false;
        };
    }

    private static void skipScalingList(BitReader in, int size) {
        int last = 8;
        int next = 8;
        for (int j = 0; j < size && next != 0; j++) {
            next = (last + in.se() + 256) % 256;
            last = next == 0 ? last : next;
        }
    }

    private static double vuiFrameRate(BitReader in) {
        if (in.flag() && in.u(8) == 255) {
            in.skip(32);
        }
        if (in.flag()) {
            in.skip(1);
        }
        if (in.flag()) {
            in.skip(4);
            if (in.flag()) {
                in.skip(24);
            }
        }
        if (in.flag()) {
            in.ue();
            in.ue();
        }
        if (!in.flag()) {
            return 0;
        }
        long unitsInTick = in.bits(32);
        long timeScale = in.bits(32);
        return unitsInTick == 0 ? 0 : timeScale / (2.0 * unitsInTick);
    }
}
