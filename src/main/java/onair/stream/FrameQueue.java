package onair.stream;

import onair.media.MediaFrame;

import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bounded multi-producer/single-consumer queue between the publisher's thread and one subscriber's thread. When
 * full it drops what a player can lose, as nginx-rtmp and SRS do: every queued frame but metadata and sequence
 * headers, then droppable frames until the next video keyframe; drops are counted.
 */
public final class FrameQueue {

    private static final int HEADER_ALLOWANCE_FRAMES = 32;
    private static final long HEADER_ALLOWANCE_BYTES = 256 * 1024;

    private final int maxFrames;
    private final long maxBytes;
    private final ArrayDeque<MediaFrame> frames = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private boolean keyWait;
    private boolean videoWait;
    private boolean overflowWait;
    private boolean videoOffered;
    private boolean closed;
    private volatile int size;
    private volatile long bytes;
    private volatile long droppedFrames;

    /**
     * @param waitKey   drop video until the first keyframe
     * @param waitVideo drop audio until the first video frame (with {@code waitKey}, the first keyframe)
     */
    public FrameQueue(int maxFrames, long maxBytes, boolean waitKey, boolean waitVideo) {
        if (maxFrames < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("queue bound below one: " + maxFrames + " frames, " + maxBytes + " bytes");
        }
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
        this.keyWait = waitKey;
        this.videoWait = waitVideo;
    }

    /**
     * Queues or drops {@code frame}, taking ownership; called by one publisher thread at a time. Returns true iff
     * the queue went from empty to non-empty, when the caller schedules a drain.
     */
    public boolean offer(MediaFrame frame) {
        lock.lock();
        try {
            if (closed) {
                frame.release();
                return false;
            }
            if (frame.isVideo()) {
                videoOffered = true;
            }
            if (!admit(frame)) {
                frame.release();
                droppedFrames++;
                return false;
            }
            frames.addLast(frame);
            bytes += frame.size();
            return ++size == 1;
        } finally {
            lock.unlock();
        }
    }

    /** The oldest queued frame, owned by the caller, or null; called by the consumer's thread. */
    public MediaFrame poll() {
        lock.lock();
        try {
            MediaFrame frame = frames.pollFirst();
            if (frame != null) {
                size--;
                bytes -= frame.size();
            }
            return frame;
        } finally {
            lock.unlock();
        }
    }

    public int size() {
        return size;
    }

    public long bytes() {
        return bytes;
    }

    public long droppedFrames() {
        return droppedFrames;
    }

    /** Releases everything queued; later offers release their frame at once. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            MediaFrame frame;
            while ((frame = frames.pollFirst()) != null) {
                frame.release();
            }
            size = 0;
            bytes = 0;
        } finally {
            lock.unlock();
        }
    }

    private boolean admit(MediaFrame frame) {
        if (frame.isKeyframe()) {
            if (full(frame)) {
                shed();
            }
            keyWait = false;
            videoWait = false;
            overflowWait = false;
            return true;
        }
        if (!frame.isDroppable()) {
            return size < maxFrames + HEADER_ALLOWANCE_FRAMES
                && bytes + frame.size() <= maxBytes + HEADER_ALLOWANCE_BYTES;
        }
        if (waiting(frame)) {
            return false;
        }
        if (full(frame)) {
            shed();
            overflowWait = true;
            return false;
        }
        if (frame.isVideo()) {
            videoWait = false;
        }
        return true;
    }

    private boolean waiting(MediaFrame frame) {
        if (frame.isVideo()) {
            return keyWait || overflowWait;
        }
        if (overflowWait && !videoOffered && 2L * size < maxFrames && 2 * bytes < maxBytes) {
            overflowWait = false;
        }
        return videoWait || overflowWait;
    }

    private boolean full(MediaFrame frame) {
        return size >= maxFrames || bytes + frame.size() > maxBytes;
    }

    /** Drops every queued frame but metadata and sequence headers. */
    private void shed() {
        int kept = 0;
        for (int i = size; i > 0; i--) {
            MediaFrame frame = frames.pollFirst();
            if (frame.isData() || frame.isSequenceHeader()) {
                frames.addLast(frame);
                kept++;
            } else {
                bytes -= frame.size();
                frame.release();
                droppedFrames++;
            }
        }
        size = kept;
    }
}
