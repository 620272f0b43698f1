package onair.stream;

import onair.media.MediaFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class FrameQueueTest {

    private final TestFrames frames = new TestFrames();

    @AfterEach
    void everyFrameIsReleased() {
        frames.assertAllReleased();
    }

    /**
     * Each script offers frames by label (see {@link TestFrames}) to a queue nobody drains, except at "|" where
     * everything queued is polled; the result lists what was polled, with "|" for each drain and at the end.
     */
    static Stream<Arguments> scripts() {
        return Stream.of(
            Arguments.of("keeps everything within its bounds",
                5, 1000, false, false, "V A K1 a1 P1", "V A K1 a1 P1 |", 0),
            Arguments.of("overflow drops everything queued but headers, then waits for the next keyframe",
                4, 1000, false, false, "V A K1 P1 P2 a1 P3 K2 P4", "V A K2 P4 |", 5),
            Arguments.of("overflow counts in bytes too (8-byte frames, 20 bytes)",
                100, 20, false, false, "K1 P1 P2 P3 K2", "K2 |", 4),
            Arguments.of("metadata and sequence headers are never dropped",
                2, 1000, false, false, "K1 P1 M V A P2 K2", "M V A K2 |", 3),
            Arguments.of("a keyframe into a full queue replaces what is queued",
                3, 1000, false, false, "K1 P1 P2 K2", "K2 |", 3),
            Arguments.of("waitKey drops video until the first keyframe while audio passes",
                10, 1000, true, false, "V A P1 a1 K1 P2", "V A a1 K1 P2 |", 1),
            Arguments.of("waitVideo drops audio until the first video frame",
                10, 1000, false, true, "A a1 P1 a2", "A P1 a2 |", 1),
            Arguments.of("waitKey with waitVideo drops audio until the first keyframe",
                10, 1000, true, true, "V A a1 P1 a2 K1 a3", "V A K1 a3 |", 3),
            Arguments.of("a video stream after an overflow waits for a keyframe even when drained",
                4, 1000, false, false, "V K1 P1 P2 P3 | a1 P4 K2", "V | K2 |", 6),
            Arguments.of("an audio-only stream after an overflow takes audio again once below half",
                4, 1000, false, false, "A a1 a2 a3 a4 a5 a6", "A a5 a6 |", 4),
            Arguments.of("an audio-only stream whose headers fill half takes audio again once drained",
                4, 1000, false, false, "M A a1 a2 a3 a4 | a5", "M A | a5 |", 4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void dropsWhatAPlayerCanLose(String behaviour, int maxFrames, long maxBytes, boolean waitKey, boolean waitVideo,
                                 String offered, String polled, long dropped) {
        FrameQueue queue = new FrameQueue(maxFrames, maxBytes, waitKey, waitVideo);
        List<String> result = new ArrayList<>();
        for (String label : (offered + " |").split(" ")) {
            if (label.equals("|")) {
                drain(queue, result);
            } else {
                queue.offer(frames.frame(label, 0));
            }
        }
        queue.close();

        assertThat(String.join(" ", result)).isEqualTo(polled);
        assertThat(queue.droppedFrames()).isEqualTo(dropped);
    }

    private static void drain(FrameQueue queue, List<String> result) {
        MediaFrame frame;
        while ((frame = queue.poll()) != null) {
            result.add(TestFrames.label(frame));
            frame.release();
        }
        result.add("|");
    }

    @Test
    void offerReportsOnlyTheStepFromEmptyToNonEmpty() {
        FrameQueue queue = new FrameQueue(10, 1000, false, false);

        assertThat(queue.offer(frames.frame("K1", 0))).isTrue();
        assertThat(queue.offer(frames.frame("P1", 40))).isFalse();
        drain(queue, new ArrayList<>());
        assertThat(queue.offer(frames.frame("P2", 80))).isTrue();
        queue.close();
    }

    @Test
    void sizeAndBytesFollowOffersAndPolls() {
        FrameQueue queue = new FrameQueue(10, 1000, false, false);
        queue.offer(frames.frame("K1", 0));
        queue.offer(frames.frame("a1", 0));

        assertThat(queue.size()).isEqualTo(2);
        assertThat(queue.bytes()).isEqualTo(8 + 5);
        queue.poll().release();
        assertThat(queue.size()).isEqualTo(1);
        assertThat(queue.bytes()).isEqualTo(5);
        queue.close();
    }

    @Test
    void closeReleasesEverythingQueuedAndEveryLaterOffer() {
        FrameQueue queue = new FrameQueue(10, 1000, false, false);
        queue.offer(frames.frame("V", 0));
        queue.offer(frames.frame("K1", 0));

        queue.close();
        boolean offeredAfterClose = queue.offer(frames.frame("P1", 40));

        assertThat(offeredAfterClose).isFalse();
        assertThat(queue.poll()).isNull();
        assertThat(queue.size()).isZero();
        assertThat(queue.bytes()).isZero();
    }
}
