package onair.record;

import onair.it.FlvTag;
import onair.rtmp.message.CommandMessage;
import onair.stats.Reply;
import onair.control.RtmpControl;
import onair.config.RecordConfig;
import onair.stream.Client;
import onair.stream.StreamKey;
import onair.testing.LogCapture;
import onair.testing.RtmpTestClient;
import onair.testing.SyntheticPublisher;
import onair.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** nginx-rtmp's recorder, observed on disk while synthetic publishers stream to a real server. */
class RecordTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final List<String> FILE_START = List.of("meta", "aac-header", "avc-header", "keyframe");

    @TempDir
    Path dir;

    private TestServer server;
    private final List<Done> done = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> open = new ArrayList<>();

    /** A finished file as it was when its recorder closed it (a later part may reuse the name). */
    private record Done(StreamKey stream, String recorder, Path file, RecordedFile content) {}

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(String application) throws Exception {
        server = TestServer.start("rtmp { server { listen 127.0.0.1:0; chunk_size 4000; application live { live on; "
            + "record_path " + dir + "; " + application + " } } }");
        server.server().recorders().listen((stream, recorder, file, publisher) -> {
            try {
                done.add(new Done(stream, recorder.name(), file, RecordedFile.read(file)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private SyntheticPublisher publish(String name, int gop, int frameSize) throws Exception {
        SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", name, gop, frameSize);
        open.add(publisher);
        return publisher;
    }

    private List<Done> awaitDone(int files) {
        await().atMost(WAIT).until(() -> done.size() >= files);
        return List.copyOf(done);
    }

    /** Waits until the record writer has handled every frame the server has received. */
    private void awaitWriter() {
        CountDownLatch written = new CountDownLatch(1);
        assertThat(server.server().recorders().execute(written::countDown)).isTrue();
        awaitQuietly(written);
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }

    @Test
    void aPublicationIsRecordedToPathNameSuffixAndClosedWhenThePublisherLeaves() throws Exception {
        start("record all;");
        SyntheticPublisher publisher = publish("cam", 10, 200);
        publisher.send(30);
        publisher.sync();
        try (LogCapture log = new LogCapture(Recorders.class)) {
            publisher.close();
            Done file = awaitDone(1).getFirst();

            assertThat(file.file()).isEqualTo(dir.resolve("cam.flv"));
            assertThat(file.stream()).isEqualTo(new StreamKey("live", "cam"));
            assertThat(file.recorder()).isEmpty();
            RecordedFile flv = file.content();
            assertThat(flv.flags()).as("audio and video").isEqualTo(5);
            assertThat(flv.head(4)).isEqualTo(FILE_START);
            assertThat(flv.tags().subList(0, 4)).allMatch(tag -> tag.timestamp() == 0);
            assertThat(flv.videoSequences()).isEqualTo(range(0, 30));
            assertThat(flv.audioSequences()).isEqualTo(range(0, 30));
            assertThat(flv.of(FlvTag.VIDEO).getLast().timestamp()).isEqualTo(29 * 40);
            assertThat(log.lines("live/cam recorded " + dir.resolve("cam.flv"))).hasSize(1);
        }
        assertThat(RecordedFile.read(dir.resolve("cam.flv"))).hasToString(done.getFirst().content().toString());
    }

    @Test
    void recordUniqueAddsTheUnixTimeAndTheSuffixGoesThroughStrftime() throws Exception {
        start("record all; record_unique on; record_suffix _%Y.flv;");
        long before = System.currentTimeMillis() / 1000;
        SyntheticPublisher publisher = publish("cam", 10, 100);
        publisher.send(5);
        publisher.sync();
        publisher.close();
        long after = System.currentTimeMillis() / 1000;
        String name = awaitDone(1).getFirst().file().getFileName().toString();

        assertThat(name).matches("cam-\\d+_\\d{4}\\.flv");
        long time = Long.parseLong(name.substring(4, name.indexOf('_')));
        assertThat(time).isBetween(before, after);
        assertThat(name).endsWith("_" + java.time.Year.now() + ".flv");
    }

    @Test
    void recordAppendContinuesTheFileWithoutATimeGap() throws Exception {
        start("record all; record_append on;");
        for (int session = 0; session < 2; session++) {
            SyntheticPublisher publisher = publish("cam", 10, 100);
            publisher.send(10);
            publisher.sync();
            publisher.close();
            awaitDone(session + 1);
        }
        RecordedFile flv = RecordedFile.read(dir.resolve("cam.flv"));

        assertThat(flv.videoSequences()).isEqualTo(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
        List<FlvTag> video = flv.tags().stream().filter(FlvTag::isCodedFrame).toList();
        int second = flv.tags().indexOf(video.get(10));
        assertThat(video.get(10).timestamp()).as("the second session starts at the first one's last tag")
            .isEqualTo(flv.tags().get(second - 4).timestamp())
            .isEqualTo(9 * 40 + 1);
        assertThat(flv.head(second + 1).subList(second - 3, second + 1)).as("headers again at the appended start")
            .isEqualTo(FILE_START);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "record_max_frames 10;|0-10 10-20 20-30 30-35",
        "record_max_size 5k;  |0-5 5-10 10-15 15-20 20-25 25-30 30-35",
    })
    void aLimitClosesTheFileAndTheNextKeyframeStartsANewOne(String limit, String parts) throws Exception {
        start("record all; " + limit);
        SyntheticPublisher publisher = publish("cam", 5, 1000);
        publisher.send(35);
        publisher.sync();
        publisher.close();
        List<String> expected = List.of(parts.split(" "));
        List<Done> files = awaitDone(expected.size());

        for (int i = 0; i < expected.size(); i++) {
            String[] bounds = expected.get(i).split("-");
            RecordedFile part = files.get(i).content();
            assertThat(files.get(i).file()).isEqualTo(dir.resolve("cam.flv"));
            assertThat(part.head(4)).as("part %d", i).isEqualTo(FILE_START);
            assertThat(part.tags().getFirst().timestamp()).isZero();
            assertThat(part.videoSequences()).as("part %d", i)
                .isEqualTo(range(Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1])));
        }
    }

    @Test
    void recordIntervalStartsANewFileAtTheFirstKeyframeAfterIt() throws Exception {
        start("record all; record_interval 1s;");
        SyntheticPublisher publisher = publish("cam", 5, 100);
        for (int gop = 0; gop < 8; gop++) {
            publisher.send(5);
            publisher.sync();
            Thread.sleep(300);
        }
        publisher.close();
        await().atMost(WAIT).until(() -> !done.isEmpty() && done.getLast().content().videoSequences().contains(39));

        assertThat(done).hasSizeBetween(2, 4);
        List<Integer> all = new ArrayList<>();
        for (Done part : done) {
            assertThat(part.content().head(4)).isEqualTo(FILE_START);
            assertThat(part.content().videoSequences().getFirst() % 5).as("starts on a keyframe").isZero();
            all.addAll(part.content().videoSequences());
        }
        assertThat(all).as("no frame lost between parts").isEqualTo(range(0, 40));
    }

    @ParameterizedTest(name = "record {0}")
    @CsvSource(delimiter = '|', value = {
        "audio    |4|aac-header audio audio audio|0 1 2 3 4 5 6 7 8 9 10 11 |                ",
        "video    |1|avc-header keyframe video   |                           |0 1 2 3 4 5 6 7 8 9 10 11",
        "keyframes|1|avc-header keyframe keyframe|                           |0 5 10",
        "audio keyframes|5|aac-header avc-header keyframe audio|0 1 2 3 4 5 6 7 8 9 10 11|0 5 10",
    })
    void theRecordFlagsChooseTheTracks(String flags, int headerFlags, String head, String audio, String video)
        throws Exception {
        start("record " + flags + "; meta off;");
        SyntheticPublisher publisher = publish("cam", 5, 100);
        publisher.send(12);
        publisher.sync();
        publisher.close();
        RecordedFile flv = awaitDone(1).getFirst().content();

        assertThat(flv.flags()).isEqualTo(headerFlags);
        assertThat(flv.head(head.split(" ").length)).isEqualTo(List.of(head.split(" ")));
        assertThat(flv.audioSequences()).isEqualTo(numbers(audio));
        assertThat(flv.videoSequences()).isEqualTo(numbers(video));
    }

    @Test
    void aManualRecorderRecordsBetweenControlStartAndStop() throws Exception {
        start("record all manual; recorder clip { record video manual; record_suffix -clip.flv; }");
        RtmpControl control = new RtmpControl(server.server()::config, server.server().registry(),
            server.server().recorders()::control);
        SyntheticPublisher publisher = publish("cam", 5, 100);
        publisher.send(7);
        publisher.sync();
        awaitWriter();
        assertThat(dir).isEmptyDirectory();

        Reply started = record(control, "start", "name", "cam");
        Reply again = record(control, "start", "name", "cam");
        Reply clip = record(control, "start", "name", "cam", "rec", "clip");
        publisher.send(10);
        publisher.sync();
        Reply stopped = record(control, "stop", "name", "cam");
        Reply clipStopped = record(control, "stop", "rec", "clip");
        Done inline = awaitDone(2).stream().filter(file -> file.recorder().isEmpty()).findFirst().orElseThrow();

        assertThat(started).isEqualTo(new Reply(200, "text/plain", dir.resolve("cam.flv").toString()));
        assertThat(again).as("already recording").isEqualTo(new Reply(204, "text/plain", ""));
        assertThat(clip.body()).isEqualTo(dir.resolve("cam-clip.flv").toString());
        assertThat(stopped).isEqualTo(started);
        assertThat(clipStopped).isEqualTo(clip);
        assertThat(inline.content().head(4)).isEqualTo(FILE_START);
        assertThat(inline.content().videoSequences()).as("from the first keyframe after start")
            .isEqualTo(range(10, 17));
        assertThat(RecordedFile.read(dir.resolve("cam-clip.flv")).of(FlvTag.AUDIO)).isEmpty();
        assertThat(record(control, "stop", "name", "cam")).isEqualTo(new Reply(204, "text/plain", ""));
        assertThat(record(control, "start", "rec", "nope")).isEqualTo(new Reply(500, "text/plain",
            "Recorder not found"));
        assertThat(record(control, "pause")).isEqualTo(new Reply(500, "text/plain", "Undefined method"));
        assertThat(record(control, "start", "name", "nobody")).isEqualTo(new Reply(204, "text/plain", ""));
    }

    @Test
    void recordStopOnAnAutomaticRecorderClosesTheFileAndTheNextKeyframeReopensIt() throws Exception {
        start("record all; record_unique on; record_suffix -%s.flv;");
        RtmpControl control = new RtmpControl(server.server()::config, server.server().registry(),
            server.server().recorders()::control);
        SyntheticPublisher publisher = publish("cam", 5, 100);
        CountDownLatch writerHeld = new CountDownLatch(1);
        assertThat(server.server().recorders().execute(() -> awaitQuietly(writerHeld))).isTrue();
        publisher.send(7);
        publisher.sync();
        Reply stopped = record(control, "stop", "app", "live", "name", "cam");
        writerHeld.countDown();
        Done first = awaitDone(1).getFirst();
        publisher.send(5);
        publisher.sync();
        publisher.close();
        Done second = awaitDone(2).get(1);

        assertThat(stopped.body()).isEqualTo(first.file().toString());
        assertThat(first.content().videoSequences()).isEqualTo(range(0, 7));
        assertThat(second.content().videoSequences()).isEqualTo(range(10, 12));
    }

    @Test
    void recordNotifyTellsThePublisherWhenEachFileStartsAndStops() throws Exception {
        start("record all; record_notify on; record_max_frames 5;");
        SyntheticPublisher publisher = publish("cam", 5, 100);
        RtmpTestClient client = publisher.client();
        CommandMessage first = client.awaitCommand(RecordTest::recordStatus);
        publisher.send(5);
        CommandMessage stopped = client.awaitCommand(RecordTest::recordStatus);
        publisher.send(1);
        CommandMessage next = client.awaitCommand(RecordTest::recordStatus);

        assertThat(List.of(first, stopped, next)).extracting(RtmpTestClient::code)
            .containsExactly("NetStream.Record.Start", "NetStream.Record.Stop", "NetStream.Record.Start");
        assertThat(first.streamId()).isEqualTo(1);
        assertThat(((Map<?, ?>) first.arguments().getFirst()).get("description")).isEqualTo("");
    }

    private static boolean recordStatus(CommandMessage command) {
        return command.name().equals("onStatus") && RtmpTestClient.code(command).startsWith("NetStream.Record.");
    }

    @Test
    void aStalledDiskDropsFramesToTheNextKeyframeCountsThemAndLogsOnce() throws Exception {
        start("record all;");
        CountDownLatch disk = new CountDownLatch(1);
        server.server().recorders().listen(new RecordListener() {
            @Override
            public void recordStarted(StreamKey stream, RecordConfig.Recorder recorder, Path file, Client publisher) {
                try {
                    disk.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void recordDone(StreamKey stream, RecordConfig.Recorder recorder, Path file, Client publisher) {
            }
        });
        try (LogCapture log = new LogCapture(Recorder.class)) {
            SyntheticPublisher publisher = publish("cam", 50, 100);
            int frames = Recorder.QUEUE_FRAMES;
            publisher.send(frames);
            publisher.sync();
            long dropped = server.server().registry().find(new StreamKey("live", "cam")).orElseThrow().stats()
                .droppedFrames();
            disk.countDown();
            publisher.close();
            RecordedFile flv = awaitDone(1).getFirst().content();

            assertThat(dropped).isPositive();
            List<Integer> video = flv.videoSequences();
            assertThat(video.getFirst()).as("resumes at a keyframe").isPositive().matches(first -> first % 50 == 0);
            assertThat(video).isEqualTo(range(video.getFirst(), frames));
            assertThat(flv.head(4)).isEqualTo(FILE_START);
            assertThat(log.lines("recording falls behind")).hasSize(1);
        }
    }

    @Test
    void recordLockHoldsALockOnTheFileWhileItIsRecorded() throws Exception {
        start("record all; record_lock on;");
        SyntheticPublisher publisher = publish("cam", 5, 100);
        publisher.send(5);
        publisher.sync();
        await().atMost(WAIT).until(() -> Files.exists(dir.resolve("cam.flv")));
        try (FileChannel channel = FileChannel.open(dir.resolve("cam.flv"), StandardOpenOption.WRITE)) {
            await().atMost(WAIT).untilAsserted(() -> assertThatThrownBy(channel::tryLock)
                .isInstanceOf(OverlappingFileLockException.class));
            publisher.close();
            awaitDone(1);
            channel.tryLock().release();
        }
    }

    @Test
    void serverCloseWithALivePublisherLeavesEveryFileCompleteAndFlushed() throws Exception {
        start("record all; recorder audio { record audio; record_suffix .audio.flv; }");
        SyntheticPublisher publisher = publish("cam", 10, 100_000);
        publisher.send(60);
        publisher.sync();
        server.close();
        server = null;

        RecordedFile flv = RecordedFile.read(dir.resolve("cam.flv"));
        assertThat(flv.videoSequences()).isEqualTo(range(0, 60));
        assertThat(RecordedFile.read(dir.resolve("cam.audio.flv")).audioSequences()).isEqualTo(range(0, 60));
        assertThat(done).hasSize(2);
    }

    @Test
    void aRecordPathThatCannotBeCreatedIsLoggedAndTheStreamGoesOn() throws Exception {
        Path blocker = Files.writeString(dir.resolve("file"), "x");
        server = TestServer.start("rtmp { server { listen 127.0.0.1:0; application live { live on; record all; "
            + "record_path " + blocker.resolve("sub") + "; } } }");
        try (LogCapture log = new LogCapture(Recorder.class)) {
            SyntheticPublisher publisher = publish("cam", 5, 100);
            publisher.send(10);
            publisher.sync();
            await().atMost(WAIT).until(() -> !log.lines("cannot open").isEmpty());
            assertThat(log.lines("cannot open")).hasSize(1);
            assertThat(server.server().registry().find(new StreamKey("live", "cam")).orElseThrow().isLive()).isTrue();
        }
    }

    private static Reply record(RtmpControl control, String method, String... keyValues) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            query.put(keyValues[i], List.of(keyValues[i + 1]));
        }
        return control.handle("/control/record/" + method, query, EnumSet.allOf(RtmpControl.Section.class));
    }

    private static List<Integer> numbers(String text) {
        return text == null || text.isBlank() ? List.of()
            : List.of(text.trim().split(" ")).stream().map(Integer::parseInt).toList();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
