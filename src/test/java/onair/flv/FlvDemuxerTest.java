package onair.flv;

import io.netty.buffer.ByteBufUtil;
import onair.media.MediaFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** FlvDemuxer over hand-built FLV files: frames, seeking with and without onMetaData's index, and broken files. */
class FlvDemuxerTest {

    private static final int[] KEYFRAMES = {0, 2000, 4000};

    /** 6 s of 25 fps video with a keyframe every 2 s, and audio every 23 ms, interleaved by timestamp. */
    private static FlvBytes sixSeconds(FlvBytes flv, List<Long> keyframePositions) {
        flv.avcHeader().aacHeader();
        int audio = 0;
        for (int video = 0; video < 6000; video += 40) {
            for (; audio <= video; audio += 23) {
                flv.audio(audio, 20);
            }
            if (video % 2000 == 0) {
                keyframePositions.add(flv.position());
            }
            flv.video(video, video % 2000 == 0, 50);
        }
        return flv;
    }

    private static byte[] sixSeconds() {
        return sixSeconds(new FlvBytes(), new ArrayList<>()).bytes();
    }

    /** The file with an onMetaData index at {@code positions}, shifted by the onMetaData tag that precedes them. */
    private static byte[] withIndex(List<Long> positions, double[] times) {
        Map<String, Object> keyframes = Map.of("times", Arrays.stream(times).boxed().toList(),
            "filepositions", positions.stream().map(Long::doubleValue).toList());
        long shift = new FlvBytes().metadata(Map.of("duration", 6.0, "keyframes", keyframes)).position() - 13;
        List<Long> shifted = positions.stream().map(p -> p + shift).toList();
        Map<String, Object> fields = Map.of("duration", 6.0, "keyframes", Map.of("times",
            Arrays.stream(times).boxed().toList(), "filepositions", shifted.stream().map(Long::doubleValue).toList()));
        return sixSeconds(new FlvBytes().metadata(fields), new ArrayList<>()).bytes();
    }

    private static List<MediaFrame> drain(FlvDemuxer demuxer) throws IOException {
        List<MediaFrame> frames = new ArrayList<>();
        for (MediaFrame frame; (frame = demuxer.next()) != null; ) {
            frames.add(frame);
        }
        return frames;
    }

    /** Each frame as kind, timestamp and payload, releasing it. */
    private static List<String> describe(List<MediaFrame> frames) {
        List<String> described = frames.stream()
            .map(f -> f.kind() + "@" + f.timestamp() + " " + ByteBufUtil.hexDump(f.payload())).toList();
        frames.forEach(MediaFrame::release);
        return described;
    }

    private static List<String> framesOf(byte[] file) throws IOException {
        try (FlvDemuxer demuxer = FlvDemuxer.open(new MemorySource(file))) {
            return describe(drain(demuxer));
        }
    }

    /** seek(ms) returns {@code expected}, and the next frame is the keyframe of that timestamp. */
    private static void assertSeeksToAKeyframe(FlvDemuxer demuxer, int ms, int expected) throws IOException {
        assertThat(demuxer.seek(ms)).isEqualTo(expected);
        MediaFrame first = demuxer.next();
        assertThat(first.isKeyframe()).isTrue();
        assertThat(first.timestamp()).isEqualTo(expected);
        first.release();
    }

    @Test
    void framesComeInFileOrderAndTheSequenceHeadersApart() throws IOException {
        byte[] file = new FlvBytes().avcHeader().aacHeader().video(0, true, 3).audio(0, 2).audio(23, 2)
            .video(40, false, 1).bytes();
        try (FlvDemuxer demuxer = FlvDemuxer.open(new MemorySource(file))) {
            List<String> headers = describe(demuxer.sequenceHeaders());
            List<String> frames = describe(drain(demuxer));

            assertThat(headers).containsExactly("VIDEO@0 17000000000164001eff", "AUDIO@0 af001210");
            assertThat(frames).extracting(f -> f.substring(0, f.indexOf(' ')))
                .containsExactly("VIDEO@0", "AUDIO@0", "AUDIO@23", "VIDEO@40");
            assertThat(frames.getFirst()).startsWith("VIDEO@0 1701000000").hasSize("VIDEO@0 ".length() + 2 * 8);
            assertThat(demuxer.next()).as("after the end").isNull();
        }
    }

    @Test
    void aSequenceHeaderAfterTheFirstIsAFrame() throws IOException {
        FlvBytes flv = new FlvBytes().avcHeader().video(0, true, 3).video(40, false, 3);
        byte[] file = flv.tag(9, 80, new byte[] {0x17, 0, 0, 0, 0, 2}).video(80, true, 3).bytes();

        assertThat(framesOf(file)).extracting(f -> f.substring(0, f.indexOf(' ')))
            .containsExactly("VIDEO@0", "VIDEO@40", "VIDEO@80", "VIDEO@80");
        assertThat(framesOf(file).get(2)).endsWith("170000000002");
    }

    @ParameterizedTest(name = "seek({0}) -> {1}")
    @CsvSource({"0, 0", "1999, 0", "2000, 2000", "3000, 2000", "4000, 4000", "99999, 4000"})
    void seekingWithoutAnIndexFindsTheScannedKeyframes(int ms, int expected) throws IOException {
        try (FlvDemuxer demuxer = FlvDemuxer.open(new MemorySource(sixSeconds()))) {
            assertSeeksToAKeyframe(demuxer, ms, expected);
        }
    }

    @Test
    void seekingToZeroRewindsToTheFirstTag() throws IOException {
        byte[] file = new FlvBytes().avcHeader().audio(0, 2).video(23, true, 3).video(63, false, 3).bytes();
        try (FlvDemuxer demuxer = FlvDemuxer.open(new MemorySource(file))) {
            List<String> all = describe(drain(demuxer));

            assertThat(demuxer.seek(0)).isZero();
            assertThat(describe(drain(demuxer))).isEqualTo(all).hasSize(3);
        }
    }

    @ParameterizedTest(name = "seek({0}) -> {1}")
    @CsvSource({"3000, 2000", "99999, 4000", "0, 0"})
    void onMetaDataKeyframesSeekWithoutReadingTheFile(int ms, int expected) throws IOException {
        List<Long> positions = new ArrayList<>();
        sixSeconds(new FlvBytes(), positions);
        byte[] file = withIndex(positions, new double[] {0, 2, 4});
        MemorySource source = new MemorySource(file);
        try (FlvDemuxer demuxer = FlvDemuxer.open(source)) {
            assertThat(source.furthest).as("bytes read to open").isLessThan(file.length / 10);
            assertThat(demuxer.metadata()).containsEntry("duration", 6.0).doesNotContainKey("keyframes");

            assertSeeksToAKeyframe(demuxer, ms, expected);
        }
    }

    @Test
    void anOnMetaDataIndexPointingBesideTheVideoTagsGivesWayToTheScan() throws IOException {
        List<Long> positions = new ArrayList<>();
        sixSeconds(new FlvBytes(), positions);
        List<Long> wrong = positions.stream().map(p -> p + 1).toList();
        try (FlvDemuxer demuxer = FlvDemuxer.open(new MemorySource(withIndex(wrong, new double[] {0, 2, 4})))) {
            assertSeeksToAKeyframe(demuxer, 3000, 2000);
            assertThat(demuxer.duration()).as("onMetaData's duration").isEqualTo(6000);
        }
    }

    @Test
    void anOnMetaDataIndexThatIsNotAnIndexIsIgnored() throws IOException {
        List<Long> positions = new ArrayList<>();
        sixSeconds(new FlvBytes(), positions);
        byte[] file = withIndex(positions, new double[] {0, Double.NaN, 4});
        MemorySource source = new MemorySource(file);
        try (FlvDemuxer demuxer = FlvDemuxer.open(source)) {
            assertThat(source.furthest).as("bytes read to open").isGreaterThan(file.length * 9L / 10);
            assertThat(demuxer.seek(3000)).isEqualTo(2000);
        }
    }

    @Test
    void theEndOfSequenceIsNoSeekPoint() throws IOException {
        byte[] file = sixSeconds(new FlvBytes(), new ArrayList<>()).avcEndOfSequence(6000).bytes();
        try (FlvDemuxer demuxer = FlvDemuxer.open(new MemorySource(file))) {
            assertThat(demuxer.seek(99999)).isEqualTo(4000);
        }
    }

    @ParameterizedTest(name = "seek({0}) -> {1}")
    @CsvSource({"0, 0", "30, 23", "46, 46", "5000, 115"})
    void audioOnlySeeksToTheLastAudioFrameAtOrBefore(int ms, int expected) throws IOException {
        FlvBytes flv = new FlvBytes().aacHeader();
        for (int t = 0; t <= 115; t += 23) {
            flv.audio(t, 4);
        }
        try (FlvDemuxer demuxer = FlvDemuxer.open(new MemorySource(flv.bytes()))) {
            assertThat(demuxer.seek(ms)).isEqualTo(expected);
            MediaFrame first = demuxer.next();
            assertThat(first.timestamp()).isEqualTo(expected);
            first.release();
        }
    }

    @Test
    void metadataAndDurationComeFromOnMetaData() throws IOException {
        Map<String, Object> fields = Map.of("duration", 6.04, "width", 640.0, "height", 360.0);
        byte[] file = new FlvBytes().metadata(fields).avcHeader().video(0, true, 1).bytes();
        try (FlvDemuxer demuxer = FlvDemuxer.open(new MemorySource(file))) {
            assertThat(demuxer.metadata()).containsAllEntriesOf(fields);
            assertThat(demuxer.duration()).isEqualTo(6040);
        }
    }

    @Test
    void withoutOnMetaDataTheDurationIsTheLastTimestamp() throws IOException {
        try (FlvDemuxer demuxer = FlvDemuxer.open(new MemorySource(sixSeconds()))) {
            assertThat(demuxer.duration()).isEqualTo(5960);
            assertThat(demuxer.metadata()).containsEntry("duration", 5.96);
        }
    }

    static Stream<Arguments> brokenFiles() {
        byte[] huge = new FlvBytes().avcHeader().tag(9, 0, new byte[FlvDemuxer.MAX_TAG_BODY + 1]).bytes();
        byte[] farOffset = new FlvBytes().avcHeader().bytes();
        ByteBuffer.wrap(farOffset).putInt(5, 1000);
        return Stream.of(
            Arguments.of("empty", new byte[0], "FLV header truncated: the file has 0 of its 9 bytes"),
            Arguments.of("half a header", new byte[] {'F', 'L', 'V', 1, 5}, "FLV header truncated"),
            Arguments.of("a GIF", "GIF89a\0\0\0\0\0\0\0\0".getBytes(), "not an FLV file: it starts with 0x474946"),
            Arguments.of("a data offset beyond the file", farOffset, "FLV data offset 1000 beyond the file of"),
            Arguments.of("a tag beyond MAX_TAG_BODY", huge, "of 8388609 bytes exceeds 8388608"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFiles")
    void aBrokenFileFailsToOpenWithAClearMessageAndClosesItsSource(String name, byte[] file, String message) {
        MemorySource source = new MemorySource(file);

        assertThatThrownBy(() -> FlvDemuxer.open(source)).isExactlyInstanceOf(IOException.class)
            .hasMessageContaining(message);
        assertThat(source.closed).isTrue();
    }

    @Test
    void aSourceShorterThanItsSizeIsAnIOException() {
        byte[] file = sixSeconds();

        assertThatThrownBy(() -> FlvDemuxer.open(new MemorySource(file, file.length + 100L)))
            .isExactlyInstanceOf(IOException.class).hasMessageContaining("gave");
    }

    @ParameterizedTest(name = "cut {0} bytes into the last tag")
    @ValueSource(ints = {0, 1, 10, 11, 12, 60, 65, 66, 67, 68})
    void aTruncatedLastTagEndsTheFramesBeforeIt(int kept) throws IOException {
        FlvBytes flv = sixSeconds(new FlvBytes(), new ArrayList<>());
        int lastTag = (int) flv.position();
        byte[] whole = flv.video(6000, false, 50).bytes();
        List<String> all = framesOf(whole);
        byte[] cut = Arrays.copyOf(whole, lastTag + kept);
        boolean complete = kept >= 66;

        try (FlvDemuxer demuxer = FlvDemuxer.open(new MemorySource(cut))) {
            assertThat(describe(drain(demuxer))).isEqualTo(all.subList(0, all.size() - (complete ? 0 : 1)));
            assertThat(demuxer.next()).as("again at the cut").isNull();
            assertThat(demuxer.seek(99999)).isEqualTo(4000);
        }
    }

    @Test
    void garbagePreviousTagSizesAreIgnored() throws IOException {
        byte[] file = sixSeconds();
        byte[] garbage = file.clone();
        for (int at = 13; at < garbage.length; ) {
            int bodySize = ByteBuffer.wrap(garbage).getInt(at) & 0xff_ffff;
            at += Flv.tagSize(bodySize);
            ByteBuffer.wrap(garbage).putInt(at - 4, 0xdeadbeef);
        }

        assertThat(framesOf(garbage)).isEqualTo(framesOf(file)).isNotEmpty();
    }

    @Test
    void corruptedFilesFailOnlyWithIOExceptions() throws IOException {
        List<Long> positions = new ArrayList<>();
        sixSeconds(new FlvBytes(), positions);
        byte[] file = withIndex(positions, new double[] {0, 2, 4});
        Random random = new Random(1);
        int failures = 0;
        for (int round = 0; round < 3000; round++) {
            int length = round < 400 ? round : round < 1000 ? random.nextInt(file.length) : file.length;
            byte[] corrupt = Arrays.copyOf(file, length);
            for (int n = round < 1000 ? 0 : 1 + random.nextInt(8); n > 0; n--) {
                int at = random.nextInt(round % 2 == 0 ? 500 : corrupt.length);
                corrupt[at] = (byte) random.nextInt(256);
            }
            try (FlvDemuxer demuxer = FlvDemuxer.open(new MemorySource(corrupt))) {
                describe(demuxer.sequenceHeaders());
                describe(drain(demuxer));
                demuxer.seek(random.nextInt(7000));
                describe(drain(demuxer));
            } catch (IOException expected) {
                failures++;
            }
        }
        assertThat(failures).as("files refused").isPositive();
    }
}
