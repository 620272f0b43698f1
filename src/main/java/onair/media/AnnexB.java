package onair.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.List;

/**
 * The Annex B byte stream format (ITU-T H.264 and H.265 Annex B) of an access unit carried as length-prefixed NAL
 * units (ISO/IEC 14496-15 AVCC/HVCC samples), as MPEG-TS carries it (ITU-T H.222.0 §2.14): each NAL unit behind a
 * start code, the access unit behind an access unit delimiter.
 */
public final class AnnexB {

    private static final byte[] START_CODE = {0, 0, 0, 1};
    private static final byte[] H264_AUD = {0, 0, 0, 1, 0x09, (byte) 0xf0};
    private static final byte[] HEVC_AUD = {0, 0, 0, 1, 0x46, 0x01, 0x50};

    private AnnexB() {
    }

    /**
     * The NAL units of {@code body} from {@code from} to {@code to}, each behind a {@code lengthSize}-byte length, as
     * Annex B behind an access unit delimiter (the unit's own delimiters are dropped, empty units skipped), with
     * {@code parameterSets} written before the first picture unless the unit carries a parameter set before it. Pass
     * the decoder configuration's parameter sets for a keyframe, an empty list otherwise.
     *
     * @param codec {@link Codec#H264} or {@link Codec#HEVC}
     * @throws MediaFormatException if a length runs past {@code to}
     */
    public static ByteBuf fromAvcc(ByteBuf body, int from, int to, Codec codec, int lengthSize,
                                   List<byte[]> parameterSets) {
        boolean h264 = switch (codec) {
            case H264 -> true;
            case HEVC -> false;
            default -> throw new IllegalArgumentException(codec + " has no Annex B format");
        };
        int extra = parameterSets.stream().mapToInt(nal -> START_CODE.length + nal.length).sum();
        ByteBuf out = Unpooled.buffer(to - from + 64 + extra);
        out.writeBytes(h264 ? H264_AUD : HEVC_AUD);
        boolean parameterSetsWritten = parameterSets.isEmpty();
        int at = from;
        try {
            while (at < to) {
                if (to - at < lengthSize) {
                    throw new MediaFormatException("video frame ends inside a NAL unit length");
                }
                long length = 0;
                for (int i = 0; i < lengthSize; i++) {
                    length = length << 8 | body.getUnsignedByte(at + i);
                }
                at += lengthSize;
                if (length == 0) {
                    continue;
                }
                if (length > to - at) {
                    throw new MediaFormatException("NAL unit of " + length + " bytes in " + (to - at) + " left");
                }
                int header = body.getUnsignedByte(at);
                int type = h264 ? header & 0x1f : header >> 1 & 0x3f;
                boolean delimiter = h264 ? type == 9 : type == 35;
                boolean parameterSet = h264 ? type == 7 : type == 32 || type == 33;
                boolean picture = h264 ? type >= 1 && type <= 5 : type < 32;
                if (parameterSet) {
                    parameterSetsWritten = true;
                }
                if (picture && !parameterSetsWritten) {
                    for (byte[] nal : parameterSets) {
                        out.writeBytes(START_CODE).writeBytes(nal);
                    }
                    parameterSetsWritten = true;
                }
                if (!delimiter) {
                    out.writeBytes(START_CODE).writeBytes(body, at, (int) length);
                }
                at += (int) length;
            }
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }
}
