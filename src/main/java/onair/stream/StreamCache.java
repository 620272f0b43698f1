package onair.stream;

import onair.media.MediaFrame;

import java.util.ArrayList;

/**
 * What a late joiner is sent before live frames: the latest metadata and sequence headers and, with the GOP cache
 * on, every frame since the latest video keyframe of track 0. The sequence headers of the other tracks of a multitrack
 * publish (at most {@value #MAX_TRACK_HEADERS}) and their frames in the GOP go to multitrack subscribers only. Used
 * under its stream's lock.
 */
final class StreamCache {

    private final LiveOptions options;
    private final ArrayList<MediaFrame> gop = new ArrayList<>();
    private long gopBytes;
    private MediaFrame metadata;
    private MediaFrame videoHeader;
    private MediaFrame audioHeader;
    private final ArrayList<MediaFrame> trackHeaders = new ArrayList<>();

    static final int MAX_TRACK_HEADERS = 32;

    StreamCache(LiveOptions options) {
        this.options = options;
    }

    void metadata(MediaFrame frame) {
        metadata = replace(metadata, frame);
    }

    /** Keeps what a late joiner needs of {@code frame}; retains it if kept. */
    void update(MediaFrame frame) {
        if (frame.isSequenceHeader()) {
            if (frame.track() != 0) {
                trackHeader(frame);
            } else if (frame.isVideo()) {
                videoHeader = replace(videoHeader, frame);
            } else {
                audioHeader = replace(audioHeader, frame);
            }
            return;
        }
        if (!options.gopCache()) {
            return;
        }
        if (frame.isKeyframe()) {
            clearGop();
        } else if (gop.isEmpty()) {
            return;
        }
        gop.add(frame.retain());
        gopBytes += frame.size();
        if (gop.size() > options.maxGopFrames() || gopBytes > options.maxGopBytes()) {
            clearGop();
        }
    }

    /**
     * Sends the metadata, the sequence headers and the GOP to {@code subscriber}. The metadata goes at timestamp 0, as
     * nginx-rtmp sends it and as FLV readers such as ffmpeg's expect stream metadata; the headers are restamped to the
     * first GOP frame, or to {@code latestTimestamp} without a GOP.
     */
    void replay(Subscriber subscriber, boolean multitrack, int latestTimestamp) {
        int timestamp = gop.isEmpty() ? latestTimestamp : gop.getFirst().timestamp();
        replayAt(subscriber, metadata, 0);
        replayAt(subscriber, videoHeader, timestamp);
        replayAt(subscriber, audioHeader, timestamp);
        if (multitrack) {
            for (int i = 0; i < trackHeaders.size(); i++) {
                replayAt(subscriber, trackHeaders.get(i), timestamp);
            }
        }
        for (int i = 0; i < gop.size(); i++) {
            if (multitrack || gop.get(i).track() == 0) {
                subscriber.onFrame(gop.get(i).retain());
            }
        }
    }

    void clear() {
        metadata = replace(metadata, null);
        videoHeader = replace(videoHeader, null);
        audioHeader = replace(audioHeader, null);
        trackHeaders.forEach(MediaFrame::release);
        trackHeaders.clear();
        clearGop();
    }

    /** Keeps the latest sequence header of each other track and kind, replacing the one it follows. */
    private void trackHeader(MediaFrame frame) {
        for (int i = 0; i < trackHeaders.size(); i++) {
            MediaFrame kept = trackHeaders.get(i);
            if (kept.track() == frame.track() && kept.kind() == frame.kind()) {
                trackHeaders.set(i, replace(kept, frame));
                return;
            }
        }
        if (trackHeaders.size() < MAX_TRACK_HEADERS) {
            trackHeaders.add(frame.retain());
        }
    }

    private void clearGop() {
        for (int i = 0; i < gop.size(); i++) {
            gop.get(i).release();
        }
        gop.clear();
        gopBytes = 0;
    }

    private static void replayAt(Subscriber subscriber, MediaFrame frame, int timestamp) {
        if (frame != null) {
            subscriber.onFrame(frame.timestamp() == timestamp ? frame.retain() : frame.withTimestamp(timestamp));
        }
    }

    private static MediaFrame replace(MediaFrame old, MediaFrame frame) {
        if (old != null) {
            old.release();
        }
        return frame == null ? null : frame.retain();
    }
}
