package onair.stream;

import onair.media.MediaFrame;
import onair.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** What subscribers see of a publisher's timestamps: passed on when sane, repaired per track when not. */
class TimestampRepairTest {

    private static final StreamKey KEY = new StreamKey("live", "repair");

    private final TestFrames frames = new TestFrames();
    private final StreamRegistry registry = new StreamRegistry();

    @AfterEach
    void everyFrameIsReleased() {
        frames.assertAllReleased();
    }

    /** Sends {@code label@timestamp} events (unsigned timestamps); M frames as metadata. */
    private void send(Publication publication, String... events) {
        for (String event : events) {
            String[] parts = event.split("@");
            MediaFrame frame = frames.frame(parts[0], Integer.parseUnsignedInt(parts[1]));
            if (frame.isData()) {
                publication.sendMetadata(frame);
            } else {
                publication.send(frame);
            }
        }
    }

    static Stream<Arguments> untouched() {
        return Stream.of(
            Arguments.of("a normal stream with equal timestamps",
                List.of("M@0", "V@0", "A@0", "K1@0", "a1@0", "P1@40", "a2@23", "P2@40", "a3@46", "P3@80", "a4@69")),
            Arguments.of("audio starting before video",
                List.of("A@0", "a1@0", "a2@23", "a3@46", "V@80", "K1@80", "a4@69", "P1@120", "a5@92")),
            Arguments.of("video starting seconds before audio",
                List.of("V@0", "K1@0", "P1@40", "P2@4000", "A@4000", "a1@4000", "P3@4040", "a2@4023")),
            Arguments.of("headers at 0 before media starting much later (ffmpeg -copyts)",
                List.of("M@0", "V@0", "A@0", "K1@123456", "a1@123460", "P1@123496", "a2@123483")),
            Arguments.of("a 2^32 wrap, passed on wrapped",
                List.of("K1@4294967200", "a1@4294967210", "P1@4294967240", "a2@4294967233", "P2@4", "a3@0",
                    "P3@44", "a4@23")),
            Arguments.of("video resuming after a gap while audio went on",
                List.of("K1@0", "a1@0", "a2@9000", "a3@18000", "K2@18040", "a4@18023")),
            Arguments.of("a sequence header repeated with its keyframe",
                List.of("V@0", "K1@0", "P1@40", "V@80", "K2@80", "P2@120")),
            Arguments.of("metadata repeated at 0", List.of("M@0", "K1@0", "M@0", "P1@40", "M@0")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("untouched")
    void saneTimestampsArePassedOnUnchanged(String description, List<String> events) {
        LiveStream stream = registry.stream(KEY, LiveOptions.defaults());
        RecordingSubscriber watching = new RecordingSubscriber();
        try (Subscription ignored = stream.subscribe(watching); Publication publication = stream.publish()) {
            send(publication, events.toArray(String[]::new));
        }

        List<String> expected = new ArrayList<>(events);
        expected.addFirst("start");
        expected.addLast("stop");
        assertThat(watching.events()).containsExactlyElementsOf(expected);
        assertThat(stream.timestampRepairs()).isZero();
    }

    static Stream<Arguments> repaired() {
        return Stream.of(
            Arguments.of("a backward jump continues a frame duration after the last output",
                List.of("K1@5000", "P1@5040", "P2@5080", "K2@0", "P3@40"),
                List.of("K1@5000", "P1@5040", "P2@5080", "K2@5120", "P3@5160"), 1),
            Arguments.of("a step back within jitter is held without a lasting shift",
                List.of("a1@1000", "a2@1023", "a3@1021", "a4@1046"),
                List.of("a1@1000", "a2@1023", "a3@1023", "a4@1046"), 1),
            Arguments.of("a forward jump of minutes continues a frame duration after the last output",
                List.of("K1@0", "a1@0", "P1@40", "a2@23", "K2@900000", "P2@900040", "a3@46"),
                List.of("K1@0", "a1@0", "P1@40", "a2@23", "K2@80", "P2@120", "a3@46"), 1),
            Arguments.of("both tracks jumping together are re-based alike",
                List.of("K1@0", "a1@0", "P1@40", "a2@23", "K2@3600080", "a3@3600046", "P2@3600120"),
                List.of("K1@0", "a1@0", "P1@40", "a2@23", "K2@80", "a3@46", "P2@120"), 2),
            Arguments.of("a backward jump across 2^32 is a jump, not a wrap",
                List.of("K1@100", "P1@140", "K2@4294967000", "P2@4294967040"),
                List.of("K1@100", "P1@140", "K2@180", "P2@220"), 1),
            Arguments.of("audio minutes ahead of video is aligned to it",
                List.of("M@0", "V@0", "A@300000", "K1@0", "a1@300000", "P1@40", "a2@300023", "P2@80", "a3@300046"),
                List.of("M@0", "V@0", "A@0", "K1@0", "a1@0", "P1@40", "a2@23", "P2@80", "a3@46"), 2),
            Arguments.of("video minutes ahead of audio is aligned to it",
                List.of("a1@0", "a2@23", "K1@300000", "a3@46", "P1@300040", "V@300080", "K2@300080"),
                List.of("a1@0", "a2@23", "K1@23", "a3@46", "P1@63", "V@103", "K2@103"), 1),
            Arguments.of("a sequence header going back is held at its track's last output",
                List.of("V@0", "K1@20000", "P1@20040", "V@0", "P2@20080"),
                List.of("V@0", "K1@20000", "P1@20040", "V@20040", "P2@20080"), 1),
            Arguments.of("metadata going back is held at the last metadata timestamp",
                List.of("M@5000", "K1@5000", "M@0", "P1@5040"),
                List.of("M@5000", "K1@5000", "M@5000", "P1@5040"), 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("repaired")
    void brokenTimestampsAreRepairedPerTrackAndCounted(String description, List<String> events,
                                                       List<String> expected, int repairs) {
        LiveStream stream = registry.stream(KEY, LiveOptions.defaults());
        RecordingSubscriber watching = new RecordingSubscriber();
        try (Subscription ignored = stream.subscribe(watching); Publication publication = stream.publish()) {
            send(publication, events.toArray(String[]::new));
        }

        List<String> seen = watching.events();
        assertThat(seen.subList(1, seen.size() - 1)).containsExactlyElementsOf(expected);
        assertThat(stream.timestampRepairs()).isEqualTo(repairs);
    }

    @Test
    void aRepublishBehindIsContinuedAndThenRepairedOnItsOwnTimeline() {
        LiveStream stream = registry.stream(KEY, LiveOptions.defaults());
        RecordingSubscriber watching = new RecordingSubscriber();
        try (Subscription ignored = stream.subscribe(watching)) {
            try (Publication first = stream.publish()) {
                send(first, "K1@0", "P1@5000");
            }
            try (Publication second = stream.publish()) {
                send(second, "K2@1000", "P2@1040", "K3@0", "P3@40");
            }
        }

        assertThat(watching.events()).containsExactly("start", "K1@0", "P1@5000", "stop",
            "start", "K2@5001", "P2@5041", "K3@5081", "P3@5121", "stop");
        assertThat(stream.timestampRepairs()).isEqualTo(1);
    }

    @Test
    void repairsAreLoggedOncePerPublicationNamingTheStreamAndWhatWasSeen() {
        LiveStream stream = registry.stream(KEY, LiveOptions.defaults());
        try (LogCapture log = new LogCapture(LiveStream.class);
             Subscription ignored = stream.subscribe(new RecordingSubscriber())) {
            try (Publication first = stream.publish()) {
                send(first, "K1@5000", "P1@5040", "K2@0", "P2@40", "K3@0", "a1@0", "a2@900000");
            }
            assertThat(log.lines("repaired")).containsExactly(
                "live/repair: publisher timestamps repaired (video went back from 5040 to 0);"
                    + " further repairs are counted, not logged");
            try (Publication second = stream.publish()) {
                send(second, "K1@0", "a1@0", "a2@300000");
            }

            assertThat(log.lines("repaired")).hasSize(2).last().asString().contains("audio jumped from 0 to 300000");
            assertThat(stream.timestampRepairs()).isEqualTo(4);
        }
    }

    @Test
    void framesNeedingNoRepairReachSubscribersAsTheVeryFramesSent() {
        LiveStream stream = registry.stream(KEY, LiveOptions.defaults());
        List<MediaFrame> sent = new ArrayList<>();
        List<MediaFrame> received = new ArrayList<>();
        Subscriber identity = new Subscriber() {
            @Override
            public void onFrame(MediaFrame frame) {
                received.add(frame);
                frame.release();
            }

            @Override
            public void onPublishStart() {
            }

            @Override
            public void onPublishStop() {
            }
        };
        try (Subscription ignored = stream.subscribe(identity); Publication publication = stream.publish()) {
            for (String event : List.of("V@0", "K1@0", "a1@0", "P1@40", "a2@23")) {
                String[] parts = event.split("@");
                MediaFrame frame = frames.frame(parts[0], Integer.parseInt(parts[1]));
                sent.add(frame);
                publication.send(frame);
            }
        }

        assertThat(received).hasSameSizeAs(sent);
        for (int i = 0; i < sent.size(); i++) {
            assertThat(received.get(i)).isSameAs(sent.get(i));
        }
    }
}
