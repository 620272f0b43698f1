package onair.media;

import io.netty.buffer.ByteBuf;

import java.util.List;
import java.util.stream.IntStream;

/**
 * The first bytes of an FLV audio or video tag body, decoded: legacy FLV headers (FLV spec §E.4.2.1, §E.4.3.1) and
 * Enhanced RTMP v1 headers, where the high bit of a video tag (or sound format 9 in an audio tag) announces a FourCC.
 *
 * @param codec           FLV codec id (video 7 = AVC, 12 = HEVC; audio 10 = AAC, …), or the FourCC as a string
 *                        ("hvc1", "av01", "vp09", "Opus", "fLaC", …) for Enhanced RTMP
 * @param keyframe        video frame type 1 (a keyframe or a sequence start)
 * @param sequenceHeader  a decoder configuration record
 * @param disposable      video frame type 3
 * @param signal          a video tag that carries no picture, so is neither a keyframe nor a droppable frame: a video
 *                        info/command frame (frame type 5), an Enhanced RTMP metadata packet (whose frame type is to
 *                        be ignored) or an end of sequence
 */
public record TagHeader(String codec, boolean keyframe, boolean sequenceHeader, boolean disposable, boolean signal) {

    private static final TagHeader NONE = new TagHeader("", false, false, false, false);
    private static final String[] CODEC_IDS = IntStream.range(0, 16).mapToObj(Integer::toString)
        .toArray(String[]::new);
    private static final List<String> FOUR_CCS = List.of("avc1", "hvc1", "av01", "vp09", "vp08",
        "Opus", "fLaC", "mp4a", ".mp3", "ac-3", "ec-3");
    private static final int COMMAND_FRAME = 5;
    private static final int METADATA_PACKET = 4;
    private static final int END_OF_SEQUENCE = 2;

    static TagHeader read(MediaFrame.Kind kind, ByteBuf body) {
        if (!body.isReadable()) {
            return NONE;
        }
        int i = body.readerIndex();
        int b0 = body.getUnsignedByte(i);
        return switch (kind) {
            case VIDEO -> video(body, i, b0);
            case AUDIO -> audio(body, i, b0);
            case DATA -> NONE;
        };
    }

    private static TagHeader video(ByteBuf body, int i, int b0) {
        int frameType = (b0 >> 4) & 0x07;
        if ((b0 & 0x80) != 0) {
            int packetType = b0 & 0x0f;
            String fourCc = fourCc(body, i + 1);
            boolean signal = frameType == COMMAND_FRAME || packetType == METADATA_PACKET
                || packetType == END_OF_SEQUENCE;
            boolean config = !signal && !fourCc.isEmpty() && (packetType == 0 || packetType == 5);
            return new TagHeader(fourCc, !signal && frameType == 1, config, !signal && frameType == 3, signal);
        }
        int codecId = b0 & 0x0f;
        boolean hasPacketType = codecId == 7 || codecId == 12 || codecId == 13;
        int packetType = hasPacketType && body.readableBytes() > 1 ? body.getUnsignedByte(i + 1) : -1;
        boolean signal = frameType == COMMAND_FRAME || packetType == END_OF_SEQUENCE;
        boolean config = !signal && packetType == 0;
        return new TagHeader(CODEC_IDS[codecId], !signal && frameType == 1, config, !signal && frameType == 3,
            signal);
    }

    private static TagHeader audio(ByteBuf body, int i, int b0) {
        int soundFormat = b0 >> 4;
        if (soundFormat == 9) {
            int packetType = b0 & 0x0f;
            boolean config = packetType == 0 || packetType == 4;
            return new TagHeader(fourCc(body, i + 1), false, config, false, false);
        }
        boolean config = soundFormat == 10 && body.readableBytes() > 1 && body.getUnsignedByte(i + 1) == 0;
        return new TagHeader(CODEC_IDS[soundFormat], false, config, false, false);
    }

    private static String fourCc(ByteBuf body, int at) {
        if (body.writerIndex() < at + 4) {
            return "";
        }
        for (String known : FOUR_CCS) {
            if (matches(body, at, known)) {
                return known;
            }
        }
        char[] c = new char[4];
        for (int k = 0; k < 4; k++) {
            c[k] = (char) body.getUnsignedByte(at + k);
        }
        return new String(c);
    }

    private static boolean matches(ByteBuf body, int at, String fourCc) {
        for (int k = 0; k < 4; k++) {
            if (body.getUnsignedByte(at + k) != fourCc.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
