package onair.hls;

import onair.media.AudioSpecificConfig;
import onair.media.AvcDecoderConfiguration;
import onair.media.Codec;
import onair.media.HevcDecoderConfiguration;
import onair.media.MediaFormatException;

import java.util.List;
import java.util.stream.Stream;

/**
 * What one HLS or DASH stream knows of its publication's tracks: the H.264 or HEVC and the AAC decoder configurations
 * its sequence headers carried (the last valid one of each), and the interval between its video frames.
 */
public final class Tracks {

    private byte[] videoRecord;
    private AvcDecoderConfiguration avc;
    private HevcDecoderConfiguration hevc;
    private byte[] audioRecord;
    private AudioSpecificConfig aac;
    private long lastVideoDts = -1;
    private long videoFrameTime;

    /** Takes a video sequence header's decoder configuration {@code record}. */
    public void configureVideo(Codec codec, byte[] record) {
        videoRecord = record;
        switch (codec) {
            case H264 -> {
                avc = AvcDecoderConfiguration.parse(record);
                hevc = null;
            }
            case HEVC -> {
                hevc = HevcDecoderConfiguration.parse(record);
                avc = null;
            }
            default -> throw new MediaFormatException("video codec " + codec + " is not supported in HLS");
        }
    }

    /** Takes an AAC sequence header's AudioSpecificConfig {@code record}; refuses one that ADTS cannot carry. */
    public void configureAudio(byte[] record) {
        audioRecord = record;
        aac = AudioSpecificConfig.parse(record);
        if (!aac.adtsCompatible()) {
            AudioSpecificConfig refused = aac;
            aac = null;
            throw new MediaFormatException("AAC object type " + refused.objectType() + " at "
                + refused.samplingFrequency() + " Hz cannot be carried in ADTS");
        }
    }

    public boolean hasVideo() {
        return avc != null || hevc != null;
    }

    /** {@link Codec#H264} or {@link Codec#HEVC}; call only when {@link #hasVideo()}. */
    public Codec videoCodec() {
        return avc != null ? Codec.H264 : Codec.HEVC;
    }

    int nalLengthSize() {
        return avc != null ? avc.nalLengthSize() : hevc.nalLengthSize();
    }

    /** The parameter sets of the video decoder configuration, in decoding order (VPS, SPS, PPS). */
    List<byte[]> parameterSets() {
        if (avc != null) {
            return Stream.concat(avc.sps().stream(), avc.pps().stream()).toList();
        }
        return Stream.of(hevc.vps(), hevc.sps(), hevc.pps()).flatMap(List::stream).toList();
    }

    /** The last video sequence header's record, even one that was refused. */
    public byte[] videoRecord() {
        return videoRecord;
    }

    /** The RFC 6381 codec string of the video. */
    public String videoCodecString() {
        return avc != null ? avc.codecString() : hevc.codecString();
    }

    public int width() {
        try {
            return avc != null ? avc.sequenceParameterSet().width() : hevc.sequenceParameterSet().width();
        } catch (MediaFormatException e) {
            return 0;
        }
    }

    public int height() {
        try {
            return avc != null ? avc.sequenceParameterSet().height() : hevc.sequenceParameterSet().height();
        } catch (MediaFormatException e) {
            return 0;
        }
    }

    /** {@code WIDTHxHEIGHT} from the sequence parameter set, or null if it cannot be read. */
    String resolution() {
        try {
            return avc != null ? avc.sequenceParameterSet().width() + "x" + avc.sequenceParameterSet().height()
                : hevc.sequenceParameterSet().width() + "x" + hevc.sequenceParameterSet().height();
        } catch (MediaFormatException e) {
            return null;
        }
    }

    /** The AAC configuration, or null before a valid one. */
    public AudioSpecificConfig aac() {
        return aac;
    }

    /** The last AAC sequence header's record, even one that was refused. */
    public byte[] audioRecord() {
        return audioRecord;
    }

    /** Notes a video frame at {@code dts}, written to a segment. */
    public void videoSampled(long dts) {
        if (lastVideoDts >= 0 && dts > lastVideoDts) {
            videoFrameTime = dts - lastVideoDts;
        }
        lastVideoDts = dts;
    }

    /** The interval between the last two increasing video timestamps, 0 before there are two. */
    public long videoFrameTime() {
        return videoFrameTime;
    }
}
