package onair.stream;

import onair.media.MediaFrame;

import java.util.function.Supplier;

/**
 * Maps one publication's input timestamps to the timeline its subscribers see, monotonic per track (audio, video,
 * data); used under its stream's lock. Timestamps are RTMP's 32-bit unsigned milliseconds and stay wrapping: steps
 * are unsigned deltas, so 0xFFFFFF00 → 0x00000100 is a 512 ms step passed on as is, and a well-behaved publisher's
 * timestamps come out unchanged apart from the republish offset given to {@link #start}.
 *
 * <p>Audio and video frames other than sequence headers drive their track. A track's first frame more than
 * {@link #MAX_TRACK_SKEW} from the latest audio or video output is aligned to it. Afterwards a step back of up to
 * {@link #MAX_JITTER} is held at the last output without a lasting shift; a longer step back, or a step forward of
 * more than {@link #MAX_STEP} that also leaves the other track that far behind (a track resuming after a gap is not a
 * jump), re-bases the track to continue one frame duration after its last output. Sequence headers take their
 * track's offset and never go back; before the track's first frame they neither start nor move it, and one more
 * than {@link #MAX_TRACK_SKEW} from the latest audio or video output is stamped with that output. Data frames are
 * sparse: they are only held so that they never go back. Each re-base, alignment or held frame counts as one repair.
 */
final class TimestampRepair {

    /** The longest forward step a track may take; a longer one is a jump. */
    static final int MAX_STEP = 10_000;

    /** How far a track's first frame may be from the publication's latest output before it is aligned to it. */
    static final int MAX_TRACK_SKEW = 10_000;

    /** The longest step back held at the last output (no lasting shift); a longer one re-bases the track. */
    static final int MAX_JITTER = 250;

    /** The longest step taken as a track's frame duration, the gap a re-based track continues after. */
    static final int MAX_FRAME_DURATION = 1_000;

    private final Track audio = new Track("audio");
    private final Track video = new Track("video");
    private final Track data = new Track("data");
    private boolean anyMedia;
    private int latestMediaOutput;
    private boolean anyHeaderOrMedia;
    private int latestHeaderOrMediaOutput;
    private long repairs;
    private String firstRepair;

    /** Starts a publication whose timestamps are all shifted by {@code offset} unless repaired. */
    void start(int offset) {
        audio.reset(offset);
        video.reset(offset);
        data.reset(offset);
        anyMedia = false;
        anyHeaderOrMedia = false;
        repairs = 0;
        firstRepair = null;
    }

    /** The timestamp subscribers see for {@code frame}. */
    int restamp(MediaFrame frame) {
        int in = frame.timestamp();
        return switch (frame.kind()) {
            case DATA -> sparse(data, in);
            case AUDIO -> frame.isSequenceHeader() ? header(audio, in) : media(audio, video, in);
            case VIDEO -> frame.isSequenceHeader() ? header(video, in) : media(video, audio, in);
        };
    }

    /** Repairs made in this publication. */
    long repairs() {
        return repairs;
    }

    /** What the first repair of this publication saw, or null. */
    String firstRepair() {
        return firstRepair;
    }

    private int media(Track track, Track other, int in) {
        if (!track.started) {
            track.started = true;
            track.lastIn = in;
            int out = in + track.offset;
            if (anyMedia && Math.abs((long) (out - latestMediaOutput)) > MAX_TRACK_SKEW) {
                repaired(() -> track.name + " starts at " + unsigned(in) + ", " + unsigned(other.lastIn)
                    + " on " + other.name);
                track.offset = latestMediaOutput - in;
                out = latestMediaOutput;
            }
            return mediaOutput(track, out);
        }
        int delta = in - track.lastIn;
        int out = in + track.offset;
        if (delta >= 0 && (delta <= MAX_STEP || out - latestMediaOutput <= MAX_STEP)) {
            if (delta > 0 && delta <= MAX_FRAME_DURATION) {
                track.frameDuration = delta;
            }
            track.lastIn = in;
            return mediaOutput(track, out);
        }
        if (delta < 0 && delta >= -MAX_JITTER) {
            repaired(() -> track.name + " went back from " + unsigned(track.lastIn) + " to " + unsigned(in));
            return track.lastOut;
        }
        repaired(() -> track.name + (delta < 0 ? " went back from " : " jumped from ") + unsigned(track.lastIn)
            + " to " + unsigned(in));
        int continued = track.lastOut + track.frameDuration;
        track.offset = continued - in;
        track.lastIn = in;
        return mediaOutput(track, continued);
    }

    private int mediaOutput(Track track, int out) {
        track.lastOut = out;
        if (!anyMedia || out - latestMediaOutput > 0) {
            latestMediaOutput = out;
        }
        anyMedia = true;
        return headerOrMediaOutput(out);
    }

    private int header(Track track, int in) {
        int out = in + track.offset;
        if (!track.started) {
            if (anyHeaderOrMedia && Math.abs((long) (out - latestHeaderOrMediaOutput)) > MAX_TRACK_SKEW) {
                repaired(() -> track.name + " sequence header at " + unsigned(in) + " before its track starts");
                out = latestHeaderOrMediaOutput;
            }
            return headerOrMediaOutput(out);
        }
        int ahead = out - track.lastOut;
        if (ahead >= 0 && ahead <= MAX_STEP) {
            return headerOrMediaOutput(out);
        }
        repaired(() -> track.name + " sequence header at " + unsigned(in) + " after " + unsigned(track.lastIn));
        return track.lastOut;
    }

    private int headerOrMediaOutput(int out) {
        if (!anyHeaderOrMedia || out - latestHeaderOrMediaOutput > 0) {
            latestHeaderOrMediaOutput = out;
        }
        anyHeaderOrMedia = true;
        return out;
    }

    private int sparse(Track track, int in) {
        int out = in + track.offset;
        if (track.started && out - track.lastOut < 0) {
            repaired(() -> track.name + " went back from " + unsigned(track.lastIn) + " to " + unsigned(in));
            return track.lastOut;
        }
        track.started = true;
        track.lastIn = in;
        track.lastOut = out;
        return out;
    }

    private void repaired(Supplier<String> seen) {
        if (repairs++ == 0) {
            firstRepair = seen.get();
        }
    }

    private static String unsigned(int timestamp) {
        return Integer.toUnsignedString(timestamp);
    }

    private static final class Track {

        final String name;
        boolean started;
        int offset;
        int lastIn;
        int lastOut;
        int frameDuration;

        Track(String name) {
            this.name = name;
        }

        void reset(int offset) {
            this.offset = offset;
            started = false;
            lastIn = 0;
            lastOut = 0;
            frameDuration = 1;
        }
    }
}
