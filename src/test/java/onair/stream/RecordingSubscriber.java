package onair.stream;

import onair.media.MediaFrame;

import java.util.ArrayList;
import java.util.List;

/** Records what it receives as {@code label@timestamp}, {@code start} and {@code stop}, and releases each frame. */
final class RecordingSubscriber implements Subscriber {

    private final List<String> events = new ArrayList<>();

    @Override
    public synchronized void onFrame(MediaFrame frame) {
        events.add(TestFrames.label(frame) + "@" + Integer.toUnsignedString(frame.timestamp()));
        frame.release();
    }

    @Override
    public synchronized void onPublishStart() {
        events.add("start");
    }

    @Override
    public synchronized void onPublishStop() {
        events.add("stop");
    }

    synchronized List<String> events() {
        return List.copyOf(events);
    }
}
