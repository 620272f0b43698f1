package onair.media;

import io.netty.buffer.ByteBuf;

import java.util.Arrays;

/**
 * The codec of an FLV audio or video tag, over both ways of naming it: the legacy FLV codec ids (FLV spec §E.4.2.1
 * SoundFormat, §E.4.3.1 CodecID) and the Enhanced RTMP FourCCs. {@link #NONE} is no codec known (an empty body, an
 * unknown FourCC); {@link #UNKNOWN} a legacy id that names no codec.
 */
public enum Codec {
    NONE(null, -1, null, ""),
    UNKNOWN(null, -1, null, ""),

    JPEG(MediaFrame.Kind.VIDEO, 1, null, "Jpeg"),
    SORENSON_H263(MediaFrame.Kind.VIDEO, 2, null, "Sorenson-H263"),
    SCREEN_VIDEO(MediaFrame.Kind.VIDEO, 3, null, "ScreenVideo"),
    VP6(MediaFrame.Kind.VIDEO, 4, null, "On2-VP6"),
    VP6_ALPHA(MediaFrame.Kind.VIDEO, 5, null, "On2-VP6-Alpha"),
    SCREEN_VIDEO_2(MediaFrame.Kind.VIDEO, 6, null, "ScreenVideo2"),
    H264(MediaFrame.Kind.VIDEO, 7, "avc1", "H264"),
    HEVC(MediaFrame.Kind.VIDEO, 12, "hvc1", "HEVC"),
    AV1(MediaFrame.Kind.VIDEO, -1, "av01", "AV1"),
    VP9(MediaFrame.Kind.VIDEO, -1, "vp09", "VP9"),
    VP8(MediaFrame.Kind.VIDEO, -1, "vp08", "VP8"),

    LINEAR_PCM(MediaFrame.Kind.AUDIO, 0, null, ""),
    ADPCM(MediaFrame.Kind.AUDIO, 1, null, "ADPCM"),
    MP3(MediaFrame.Kind.AUDIO, 2, ".mp3", "MP3"),
    LINEAR_PCM_LE(MediaFrame.Kind.AUDIO, 3, null, "LinearLE"),
    NELLYMOSER_16K(MediaFrame.Kind.AUDIO, 4, null, "Nellymoser16"),
    NELLYMOSER_8K(MediaFrame.Kind.AUDIO, 5, null, "Nellymoser8"),
    NELLYMOSER(MediaFrame.Kind.AUDIO, 6, null, "Nellymoser"),
    G711A(MediaFrame.Kind.AUDIO, 7, null, "G711A"),
    G711U(MediaFrame.Kind.AUDIO, 8, null, "G711U"),
    AAC(MediaFrame.Kind.AUDIO, 10, "mp4a", "AAC"),
    SPEEX(MediaFrame.Kind.AUDIO, 11, null, "Speex"),
    MP3_8K(MediaFrame.Kind.AUDIO, 14, null, "MP3-8K"),
    DEVICE_SPECIFIC(MediaFrame.Kind.AUDIO, 15, null, "DeviceSpecific"),
    OPUS(MediaFrame.Kind.AUDIO, -1, "Opus", "Opus"),
    FLAC(MediaFrame.Kind.AUDIO, -1, "fLaC", "FLAC"),
    AC3(MediaFrame.Kind.AUDIO, -1, "ac-3", "AC3"),
    EAC3(MediaFrame.Kind.AUDIO, -1, "ec-3", "EAC3");

    private static final Codec[] VIDEO_IDS = byId(MediaFrame.Kind.VIDEO);
    private static final Codec[] AUDIO_IDS = byId(MediaFrame.Kind.AUDIO);
    private static final Codec[] FOUR_CCS = Arrays.stream(values()).filter(codec -> codec.fourCc != null)
        .toArray(Codec[]::new);

    private final MediaFrame.Kind kind;
    private final int flvId;
    private final String fourCc;
    private final String nginxName;
    private final int fourCcCode;

    Codec(MediaFrame.Kind kind, int flvId, String fourCc, String nginxName) {
        this.kind = kind;
        this.flvId = flvId;
        this.fourCc = fourCc;
        this.nginxName = nginxName;
        this.fourCcCode = fourCc == null ? 0
            : fourCc.charAt(0) << 24 | fourCc.charAt(1) << 16 | fourCc.charAt(2) << 8 | fourCc.charAt(3);
    }

    /** Whether this is an audio or a video codec; null for {@link #NONE} and {@link #UNKNOWN}. */
    public MediaFrame.Kind kind() {
        return kind;
    }

    /** The Enhanced RTMP FourCC, null for a codec that has only a legacy id. */
    public String fourCc() {
        return fourCc;
    }

    /** The codec of a legacy FLV video CodecID or audio SoundFormat (0 … 15). */
    public static Codec ofFlvId(MediaFrame.Kind kind, int id) {
        return (kind == MediaFrame.Kind.VIDEO ? VIDEO_IDS : AUDIO_IDS)[id & 0x0f];
    }

    /**
     * The codec whose Enhanced RTMP FourCC is at {@code at} in {@code body}: {@link #NONE} if the body ends before it,
     * {@link #UNKNOWN} for a FourCC Onair does not know.
     */
    public static Codec ofFourCc(MediaFrame.Kind kind, ByteBuf body, int at) {
        if (body.writerIndex() < at + 4) {
            return NONE;
        }
        int read = body.getInt(at);
        for (Codec codec : FOUR_CCS) {
            if (codec.fourCcCode == read && codec.kind == kind) {
                return codec;
            }
        }
        return UNKNOWN;
    }

    /** Whether a tag of this codec is known to carry media, false for {@link #NONE}. */
    public boolean present() {
        return this != NONE;
    }

    /** nginx-rtmp's name of the codec in its stat page ("H264", "AAC"), or Onair's for codecs nginx-rtmp lacks. */
    public String nginxName() {
        return nginxName;
    }

    private static Codec[] byId(MediaFrame.Kind kind) {
        Codec[] ids = new Codec[16];
        Arrays.fill(ids, UNKNOWN);
        for (Codec codec : values()) {
            if (codec.kind == kind && codec.flvId >= 0) {
                ids[codec.flvId] = codec;
            }
        }
        return ids;
    }
}
