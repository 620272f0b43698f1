package onair.stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LiveStreamTest {

    private static final StreamKey KEY = new StreamKey("live", "test");

    private final TestFrames frames = new TestFrames();
    private final StreamRegistry registry = new StreamRegistry();

    @AfterEach
    void everyFrameIsReleased() {
        frames.assertAllReleased();
    }

    private LiveStream stream(LiveOptions options) {
        return registry.stream(KEY, options);
    }

    private void send(Publication publication, String... labelsAtTimestamps) {
        for (String event : labelsAtTimestamps) {
            String[] parts = event.split("@");
            publication.send(frames.frame(parts[0], Integer.parseInt(parts[1])));
        }
    }

    private static LiveOptions gopCache(boolean on) {
        LiveOptions d = LiveOptions.defaults();
        return new LiveOptions(on, d.waitKey(), d.waitVideo(), d.idleStreams(), d.maxGopFrames(), d.maxGopBytes());
    }

    private static LiveOptions gopBounds(int maxFrames, long maxBytes) {
        LiveOptions d = LiveOptions.defaults();
        return new LiveOptions(true, d.waitKey(), d.waitVideo(), d.idleStreams(), maxFrames, maxBytes);
    }

    @Test
    void lateJoinerGetsMetadataAtZeroAndHeadersRestampedThenTheGopThenLiveFrames() {
        LiveStream stream = stream(gopCache(true));
        try (Publication publication = stream.publish()) {
            publication.sendMetadata(frames.frame("M", 0));
            send(publication, "V@0", "A@0", "K1@0", "a1@20", "P1@40", "K2@1000", "a2@1020", "P2@1040");
            RecordingSubscriber late = new RecordingSubscriber();

            try (Subscription subscription = stream.subscribe(late)) {
                send(publication, "P3@1080");

                assertThat(subscription.live()).isTrue();
                assertThat(late.events())
                    .containsExactly("M@0", "V@1000", "A@1000", "K2@1000", "a2@1020", "P2@1040", "P3@1080");
            }
        }
    }

    @Test
    void lateJoinerWithoutGopCacheGetsMetadataAtZeroAndHeadersAtTheLatestTimestampThenLiveFrames() {
        LiveStream stream = stream(gopCache(false));
        try (Publication publication = stream.publish()) {
            publication.sendMetadata(frames.frame("M", 0));
            send(publication, "V@0", "A@0", "K1@0", "a1@20", "P1@40");
            RecordingSubscriber late = new RecordingSubscriber();

            try (Subscription ignored = stream.subscribe(late)) {
                send(publication, "P2@80");

                assertThat(late.events()).containsExactly("M@0", "V@40", "A@40", "P2@80");
            }
        }
    }

    @Test
    void lateJoinerOfAnAudioOnlyStreamGetsOnlyTheAudioHeaderThenTheNextFrame() {
        LiveStream stream = stream(gopCache(true));
        try (Publication publication = stream.publish()) {
            send(publication, "A@0", "a1@0", "a2@23");
            RecordingSubscriber late = new RecordingSubscriber();

            try (Subscription ignored = stream.subscribe(late)) {
                send(publication, "a3@46");

                assertThat(late.events()).containsExactly("A@23", "a3@46");
            }
        }
    }

    @Test
    void subscriberWaitsForAPublisherAndIsToldWhenItStartsAndStops() {
        LiveStream stream = stream(LiveOptions.defaults());
        RecordingSubscriber early = new RecordingSubscriber();
        try (Subscription subscription = stream.subscribe(early)) {
            assertThat(subscription.live()).isFalse();
            assertThat(stream.isLive()).isFalse();

            try (Publication publication = stream.publish()) {
                publication.sendMetadata(frames.frame("M", 0));
                send(publication, "V@0", "K1@0");
                assertThat(stream.isLive()).isTrue();
            }

            assertThat(early.events()).containsExactly("start", "M@0", "V@0", "K1@0", "stop");
            assertThat(stream.isLive()).isFalse();
        }
    }

    static Stream<Arguments> gopBounds() {
        return Stream.of(
            Arguments.of("3 frames", gopBounds(3, Long.MAX_VALUE)),
            Arguments.of("31 bytes (8-byte frames)", gopBounds(Integer.MAX_VALUE, 31)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gopBounds")
    void gopCacheOverItsBoundIsEmptiedUntilTheNextKeyframe(String bound, LiveOptions options) {
        LiveStream stream = stream(options);
        try (Publication publication = stream.publish()) {
            send(publication, "V@0", "K1@0", "P1@40", "P2@80", "P3@120", "P4@160");
            RecordingSubscriber overBound = new RecordingSubscriber();
            try (Subscription ignored = stream.subscribe(overBound)) {
                assertThat(overBound.events()).containsExactly("V@160");
            }

            send(publication, "K2@200", "P5@240");
            RecordingSubscriber afterKeyframe = new RecordingSubscriber();
            try (Subscription ignored = stream.subscribe(afterKeyframe)) {
                assertThat(afterKeyframe.events()).containsExactly("V@200", "K2@200", "P5@240");
            }
        }
    }

    @Test
    void newSequenceHeadersAndMetadataReplaceTheCachedOnesAndAreFannedOut() {
        LiveStream stream = stream(LiveOptions.defaults());
        RecordingSubscriber watching = new RecordingSubscriber();
        try (Publication publication = stream.publish(); Subscription ignored = stream.subscribe(watching)) {
            publication.sendMetadata(frames.frame("M1", 0));
            send(publication, "V1@0", "A1@0", "K1@0");
            publication.sendMetadata(frames.frame("M2", 500));
            send(publication, "V2@500", "A2@500", "K2@500");
            RecordingSubscriber late = new RecordingSubscriber();

            try (Subscription alsoIgnored = stream.subscribe(late)) {
                assertThat(watching.events())
                    .containsExactly("M1@0", "V1@0", "A1@0", "K1@0", "M2@500", "V2@500", "A2@500", "K2@500");
                assertThat(late.events()).containsExactly("M2@0", "V2@500", "A2@500", "K2@500");
            }
        }
    }

    @Test
    void secondPublisherIsRefusedAndTheFirstKeepsPublishing() {
        LiveStream stream = stream(LiveOptions.defaults());
        RecordingSubscriber watching = new RecordingSubscriber();
        try (Publication first = stream.publish(); Subscription ignored = stream.subscribe(watching)) {
            Publication second = stream.publish();
            send(first, "K1@0");

            assertThat(second).isNull();
            assertThat(watching.events()).containsExactly("K1@0");
        }
    }

    @Test
    void republishKeepsSubscribersAndContinuesTheirTimelineAfterTheLastTimestamp() {
        LiveStream stream = stream(LiveOptions.defaults());
        RecordingSubscriber watching = new RecordingSubscriber();
        try (Subscription ignored = stream.subscribe(watching)) {
            try (Publication first = stream.publish()) {
                send(first, "V@0", "K1@0", "P1@5000");
            }
            try (Publication second = stream.publish()) {
                second.sendMetadata(frames.frame("M", 0));
                send(second, "V@0", "K2@0", "P2@40");
            }

            assertThat(watching.events()).containsExactly(
                "start", "V@0", "K1@0", "P1@5000", "stop",
                "start", "M@5001", "V@5001", "K2@5001", "P2@5041", "stop");
        }
    }

    @Test
    void republishStartingAheadKeepsItsOwnTimestamps() {
        LiveStream stream = stream(LiveOptions.defaults());
        RecordingSubscriber watching = new RecordingSubscriber();
        try (Subscription ignored = stream.subscribe(watching)) {
            try (Publication first = stream.publish()) {
                send(first, "K1@0", "P1@40");
            }
            try (Publication second = stream.publish()) {
                send(second, "K2@9000");
            }

            assertThat(watching.events()).containsExactly("start", "K1@0", "P1@40", "stop", "start", "K2@9000", "stop");
        }
    }

    @Test
    void unpublishClearsTheCacheSoTheNextPublicationStartsEmpty() {
        LiveStream stream = stream(LiveOptions.defaults());
        RecordingSubscriber keepsStreamAlive = new RecordingSubscriber();
        try (Subscription ignored = stream.subscribe(keepsStreamAlive)) {
            try (Publication first = stream.publish()) {
                first.sendMetadata(frames.frame("M", 0));
                send(first, "V@0", "A@0", "K1@0");
            }
            try (Publication ignoredToo = stream.publish()) {
                RecordingSubscriber late = new RecordingSubscriber();
                try (Subscription subscription = stream.subscribe(late)) {
                    assertThat(subscription.live()).isTrue();
                    assertThat(late.events()).isEmpty();
                }
            }
        }
    }

    @Test
    void closedPublicationReleasesWhatItIsSentAndClosesOnce() {
        LiveStream stream = stream(LiveOptions.defaults());
        RecordingSubscriber watching = new RecordingSubscriber();
        try (Subscription subscription = stream.subscribe(watching)) {
            Publication publication = stream.publish();
            publication.close();
            send(publication, "K1@0");
            publication.sendMetadata(frames.frame("M", 0));
            publication.close();
            subscription.close();

            assertThat(watching.events()).containsExactly("start", "stop");
            assertThat(stream.subscriberCount()).isZero();
        }
    }

    @Test
    void metadataMustBeADataFrame() {
        try (Publication publication = stream(LiveOptions.defaults()).publish()) {
            assertThatThrownBy(() -> publication.sendMetadata(frames.frame("K1", 0)))
                .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void countsFramesAndBytesIn() {
        LiveStream stream = stream(LiveOptions.defaults());
        try (Publication publication = stream.publish()) {
            publication.sendMetadata(frames.frame("M", 0));
            send(publication, "V@0", "K1@0");

            assertThat(stream.framesIn()).isEqualTo(3);
            assertThat(stream.bytesIn()).isEqualTo(2 + 7 + 8);
        }
    }
}
