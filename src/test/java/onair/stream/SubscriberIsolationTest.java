package onair.stream;

import onair.media.MediaFrame;
import onair.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A subscriber that throws is unsubscribed and logged once; the publisher and the other subscribers go on. */
class SubscriberIsolationTest {

    private static final StreamKey KEY = new StreamKey("live", "isolated");

    private final TestFrames frames = new TestFrames();
    private final StreamRegistry registry = new StreamRegistry();

    @AfterEach
    void everyFrameIsReleased() {
        frames.assertAllReleased();
    }

    /** Throws from the callback named by {@code failOn} ("frame", "start" or "stop"), releasing what it was given. */
    private static final class Throwing implements Subscriber {

        private final String failOn;
        private final AtomicInteger calls = new AtomicInteger();

        Throwing(String failOn) {
            this.failOn = failOn;
        }

        @Override
        public void onFrame(MediaFrame frame) {
            frame.release();
            fail("frame");
        }

        @Override
        public void onPublishStart() {
            fail("start");
        }

        @Override
        public void onPublishStop() {
            fail("stop");
        }

        private void fail(String callback) {
            if (callback.equals(failOn)) {
                calls.incrementAndGet();
                throw new IllegalStateException("broken output");
            }
        }

        @Override
        public String toString() {
            return "Throwing[" + failOn + "]";
        }
    }

    private void send(Publication publication, String... labelsAtTimestamps) {
        for (String event : labelsAtTimestamps) {
            String[] parts = event.split("@");
            publication.send(frames.frame(parts[0], Integer.parseInt(parts[1])));
        }
    }

    @Test
    void aSubscriberThatThrowsOnAFrameIsRemovedAndLoggedOnceWhileTheOthersGetEveryFrame() {
        LiveStream stream = registry.stream(KEY, LiveOptions.defaults());
        RecordingSubscriber before = new RecordingSubscriber();
        RecordingSubscriber after = new RecordingSubscriber();
        Throwing throwing = new Throwing("frame");
        try (LogCapture log = new LogCapture(LiveStream.class);
             Publication publication = stream.publish();
             Subscription first = stream.subscribe(before);
             Subscription broken = stream.subscribe(throwing);
             Subscription last = stream.subscribe(after)) {
            send(publication, "K1@0", "P1@40", "P2@80");

            assertThat(before.events()).containsExactly("K1@0", "P1@40", "P2@80");
            assertThat(after.events()).containsExactly("K1@0", "P1@40", "P2@80");
            assertThat(throwing.calls).hasValue(1);
            assertThat(stream.subscribers()).containsExactly(before, after);
            assertThat(stream.isLive()).isTrue();
            assertThat(log.lines("failed")).singleElement().asString()
                .contains("live/isolated", "Throwing[frame]", "broken output");

            broken.close();
            send(publication, "P3@120");
            assertThat(stream.subscribers()).containsExactly(before, after);
            assertThat(after.events()).endsWith("P3@120");
        }
    }

    @ParameterizedTest(name = "on publish {0}")
    @ValueSource(strings = {"start", "stop"})
    void aSubscriberThatThrowsOnAPublishNotificationIsRemovedAndTheOthersAreTold(String failOn) {
        LiveStream stream = registry.stream(KEY, LiveOptions.defaults());
        RecordingSubscriber other = new RecordingSubscriber();
        Throwing throwing = new Throwing(failOn);
        try (LogCapture log = new LogCapture(LiveStream.class);
             Subscription broken = stream.subscribe(throwing);
             Subscription kept = stream.subscribe(other)) {
            Publication publication = stream.publish();
            send(publication, "K1@0");
            publication.close();

            assertThat(other.events()).containsExactly("start", "K1@0", "stop");
            assertThat(throwing.calls).hasValue(1);
            assertThat(stream.subscribers()).containsExactly(other);
            assertThat(log.lines("failed")).singleElement().asString().contains("Throwing[" + failOn + "]");
        }
    }
}
