package onair.stream;

import onair.media.MediaFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A multitrack publish (track 0 as plain tags, track 1 in Enhanced RTMP v2 multitrack packets, as ffmpeg 8 sends two
 * renditions) through the hub: subscribers that do not take multitrack see track 0 alone, as a plain stream, live and
 * from the GOP cache, whose GOP starts at track 0's keyframe; multitrack subscribers get every track and each track's
 * sequence header when they join late.
 */
class MultitrackStreamTest {

    private static final StreamKey KEY = new StreamKey("live", "renditions");

    private final TestFrames frames = new TestFrames();
    private final StreamRegistry registry = new StreamRegistry();

    @AfterEach
    void everyFrameIsReleased() {
        frames.assertAllReleased();
    }

    private void send(Publication publication, String... labelsAtTimestamps) {
        for (String event : labelsAtTimestamps) {
            String[] parts = event.split("@");
            publication.send(frames.frame(parts[0], Integer.parseInt(parts[1])));
        }
    }

    /** A subscriber that takes every track. */
    private static final class AllTracks implements Subscriber {

        private final RecordingSubscriber recorded = new RecordingSubscriber();

        @Override
        public void onFrame(MediaFrame frame) {
            recorded.onFrame(frame);
        }

        @Override
        public void onPublishStart() {
            recorded.onPublishStart();
        }

        @Override
        public void onPublishStop() {
            recorded.onPublishStop();
        }

        @Override
        public boolean multitrack() {
            return true;
        }
    }

    @Test
    void aPlainSubscriberSeesTrackZeroAloneAndAMultitrackOneSeesEveryTrack() {
        LiveStream stream = registry.stream(KEY, LiveOptions.defaults());
        RecordingSubscriber plain = new RecordingSubscriber();
        AllTracks all = new AllTracks();
        try (Publication publication = stream.publish();
             Subscription a = stream.subscribe(plain);
             Subscription b = stream.subscribe(all)) {
            send(publication, "V@0", "W@0", "A@0", "K1@0", "L1@0", "a1@20", "b1@20", "P1@40", "Q1@40");

            assertThat(plain.events()).containsExactly("V@0", "A@0", "K1@0", "a1@20", "P1@40");
            assertThat(all.recorded.events())
                .containsExactly("V@0", "W@0", "A@0", "K1@0", "L1@0", "a1@20", "b1@20", "P1@40", "Q1@40");
        }
    }

    @Test
    void aLateJoinersGopStartsAtTrackZerosKeyframeAndAMultitrackJoinerGetsEveryTracksHeader() {
        LiveStream stream = registry.stream(KEY, LiveOptions.defaults());
        try (Publication publication = stream.publish()) {
            send(publication, "V@0", "W@0", "A@0", "K1@0", "L1@0", "P1@40", "Q1@40", "K2@1000", "L2@1000", "P2@1040");
            RecordingSubscriber plain = new RecordingSubscriber();
            AllTracks all = new AllTracks();

            try (Subscription a = stream.subscribe(plain); Subscription b = stream.subscribe(all)) {
                assertThat(plain.events()).containsExactly("V@1000", "A@1000", "K2@1000", "P2@1040");
                assertThat(all.recorded.events())
                    .containsExactly("V@1000", "A@1000", "W@1000", "K2@1000", "L2@1000", "P2@1040");
            }
        }
    }

    @Test
    void anotherTracksSequenceHeaderReplacesOnlyThatTracksHeader() {
        LiveStream stream = registry.stream(KEY, LiveOptions.defaults());
        try (Publication publication = stream.publish()) {
            send(publication, "V@0", "W1@0", "K1@0", "W2@500", "P1@540");
            AllTracks all = new AllTracks();

            try (Subscription b = stream.subscribe(all)) {
                assertThat(all.recorded.events()).containsExactly("V@0", "W2@0", "K1@0", "P1@540");
            }
        }
    }
}
