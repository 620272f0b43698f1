package onair.media;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** A media file read as RTMP/FLV frames in timestamp order, able to start at a keyframe. */
public interface FrameReader extends Closeable {

    /** The duration in milliseconds, 0 if unknown. */
    int duration();

    /**
     * The onMetaData object fields to announce (duration in s as Double, width, height, videocodecid, audiocodecid,
     * framerate, ... as in FLV's onMetaData).
     */
    Map<String, Object> metadata();

    /**
     * The sequence headers (AVC/HEVC decoder configuration, AAC AudioSpecificConfig) as FLV-payload frames with
     * timestamp 0; caller releases.
     */
    List<MediaFrame> sequenceHeaders();

    /**
     * Positions at the last video keyframe at or before {@code ms} (audio-only: the last audio frame at or before);
     * returns that frame's timestamp.
     */
    int seek(int ms) throws IOException;

    /**
     * The next audio or video frame (FLV tag payload, MediaFrame.of(kind, timestamp, payload)) in timestamp order, or
     * null at the end; caller releases.
     */
    MediaFrame next() throws IOException;
}
