package onair.stream;

/**
 * Options of one application's live streams (from nginx-rtmp directives).
 *
 * @param gopCache     keep the frames since the latest video keyframe for late joiners
 * @param waitKey      players start at a video keyframe ({@code wait_key})
 * @param waitVideo    players get no audio before the first video frame ({@code wait_video})
 * @param idleStreams  players may wait for a publisher that is not live ({@code idle_streams})
 * @param maxGopFrames past this many frames the GOP cache is emptied until the next keyframe
 * @param maxGopBytes  past this many payload bytes the GOP cache is emptied until the next keyframe
 */
public record LiveOptions(boolean gopCache, boolean waitKey, boolean waitVideo, boolean idleStreams,
                          int maxGopFrames, long maxGopBytes) {

    public LiveOptions {
        if (maxGopFrames < 0 || maxGopBytes < 0) {
            throw new IllegalArgumentException("negative GOP bound: " + maxGopFrames + " frames, " + maxGopBytes + " bytes");
        }
    }

    public static LiveOptions defaults() {
        return new LiveOptions(true, true, false, true, 3000, 64L << 20);
    }
}
