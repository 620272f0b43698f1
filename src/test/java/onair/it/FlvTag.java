package onair.it;

/**
 * One FLV tag: its type (8 audio, 9 video, 18 script data), its 32-bit timestamp in milliseconds and its body.
 * Understands legacy AVC/HEVC headers and Enhanced RTMP video headers well enough to spot keyframes.
 */
public record FlvTag(int type, long timestamp, byte[] body) {

    public static final int AUDIO = 8;
    public static final int VIDEO = 9;
    public static final int SCRIPT = 18;

    /** Video frame type 1 whose payload is coded media, not a decoder configuration record. */
    public boolean isVideoKeyframe() {
        return isCodedFrame() && ((body[0] >> 4) & 0x07) == 1;
    }

    /**
     * A video tag carrying coded pictures: legacy AVC/HEVC NALUs (packet type 1) or Enhanced RTMP CodedFrames(X), not
     * a sequence header, end of sequence or Enhanced RTMP metadata (ffmpeg 8 sends HEVC colour info that way).
     */
    public boolean isCodedFrame() {
        if (type != VIDEO || body.length == 0) {
            return false;
        }
        if (isEnhanced()) {
            int packetType = body[0] & 0x0f;
            return packetType == 1 || packetType == 3;
        }
        int codecId = body[0] & 0x0f;
        boolean hasPacketType = codecId == 7 || codecId == 12 || codecId == 13;
        return !hasPacketType || (body.length > 1 && body[1] == 1);
    }

    /** An AVC/HEVC/AV1… decoder configuration record (legacy packet type 0, enhanced SequenceStart). */
    public boolean isSequenceHeader() {
        if (type != VIDEO || body.length == 0) {
            return false;
        }
        int b0 = body[0] & 0xff;
        if ((b0 & 0x80) != 0) {
            int packetType = b0 & 0x0f;
            return packetType == 0 || packetType == 5;
        }
        int codecId = b0 & 0x0f;
        return (codecId == 7 || codecId == 12 || codecId == 13) && body.length > 1 && body[1] == 0;
    }

    /** Whether the video header uses the Enhanced RTMP form (high bit set, FourCC follows). */
    public boolean isEnhanced() {
        return type == VIDEO && body.length > 0 && (body[0] & 0x80) != 0;
    }

    /** The FourCC of an Enhanced RTMP video tag, or the legacy codec id as a string. */
    public String videoCodec() {
        if (isEnhanced()) {
            return body.length >= 5 ? new String(body, 1, 4, java.nio.charset.StandardCharsets.US_ASCII) : "";
        }
        return type == VIDEO && body.length > 0 ? Integer.toString(body[0] & 0x0f) : "";
    }

    @Override
    public String toString() {
        String kind = isVideoKeyframe() ? ", keyframe" : isSequenceHeader() ? ", sequence header"
                : isCodedFrame() ? ", frame" : "";
        return "FlvTag[type=%d, ts=%d, %d bytes%s]".formatted(type, timestamp, body.length, kind);
    }
}
