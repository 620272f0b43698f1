package onair.exec;

import onair.config.AdmissionConfig;
import onair.config.ApplicationConfig;
import onair.config.ExecConfig;
import onair.config.RecordConfig;
import onair.lifecycle.ConnectEvent;
import onair.lifecycle.DoneEvent;
import onair.lifecycle.Peer;
import onair.lifecycle.PlayEvent;
import onair.lifecycle.PublishEvent;
import onair.lifecycle.RecordDoneEvent;
import onair.lifecycle.RecordStartedEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/** The lifecycle events, faked, and the children they start and stop, real. */
class ExecListenerTest {

    private static final ApplicationConfig APP = new ApplicationConfig("src", true, false, false, false, false,
        Duration.ZERO, false, ApplicationConfig.Meta.ON, false, Duration.ofMillis(300), false);

    @TempDir
    Path dir;

    private final ExecSupervisor supervisor = new ExecSupervisor(new ExecLimits(20, Duration.ofMillis(500),
        Duration.ofSeconds(2), Duration.ofMillis(800), 3, Duration.ofMillis(300), 200));
    private final AtomicReference<ExecConfig> config = new AtomicReference<>(ExecConfig.OFF);
    private final ExecListener listener = new ExecListener(supervisor, app -> config.get(), invocation -> null);

    @AfterEach
    void close() {
        supervisor.close();
    }

    private void configure(boolean options, String[]... lines) {
        Map<ExecConfig.Kind, List<ExecConfig.Command>> commands = new EnumMap<>(ExecConfig.Kind.class);
        for (String[] line : lines) {
            ExecConfig.Kind kind = ExecConfig.Kind.ofDirective(line[0]);
            commands.computeIfAbsent(kind, k -> new ArrayList<>())
                .add(ExecConfig.Command.parse(kind, List.of(line).subList(1, line.length), options));
        }
        config.set(new ExecConfig(commands, options, true, Duration.ofMillis(200), ExecConfig.KillSignal.TERM));
    }

    private static Peer peer(long id) {
        return new Peer(id, InetAddress.getLoopbackAddress(), "src", "FMLE/3.0", "http://swf", "rtmp://localhost/src",
            "http://page", "", 0);
    }

    private static PlayEvent play(long id) {
        return new PlayEvent(APP, peer(id), "cam", "", -2, -1, false);
    }

    private static DoneEvent done(long id, String name) {
        return new DoneEvent(APP, peer(id), name, "k=v", 0, 0);
    }

    private List<ChildSnapshot> children(ExecConfig.Kind kind) {
        return supervisor.snapshot().stream().filter(child -> child.kind() == kind).toList();
    }

    private List<Long> runningPids(ExecConfig.Kind kind, int count) {
        await().atMost(10, TimeUnit.SECONDS).until(() -> children(kind).size() == count
            && children(kind).stream().allMatch(child -> child.state() == ChildSnapshot.State.RUNNING));
        return children(kind).stream().map(ChildSnapshot::pid).toList();
    }

    private static boolean gone(long pid) {
        return ProcessHandle.of(pid).map(handle -> !handle.isAlive()).orElse(true);
    }

    private List<String> linesOf(String file, int count) {
        Path path = dir.resolve(file);
        await().atMost(10, TimeUnit.SECONDS)
            .until(() -> Files.exists(path) && Files.readAllLines(path).size() >= count);
        try {
            return Files.readAllLines(path);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aPublishRunsItsPushChildrenUntilItEnds() {
        configure(false, new String[] {"exec", "sleep", "100"}, new String[] {"exec_push", "sleep", "101"});

        listener.onPublishStarted(new PublishEvent(APP, peer(1), "cam", "", "live"));
        List<Long> pids = runningPids(ExecConfig.Kind.PUSH, 2);

        assertThat(children(ExecConfig.Kind.PUSH)).extracting(ChildSnapshot::app, ChildSnapshot::name,
            ChildSnapshot::command).containsExactlyInAnyOrder(tuple("src", "cam", "sleep 100"),
            tuple("src", "cam", "sleep 101"));
        listener.onPublishDone(done(1, "cam"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> supervisor.snapshot().isEmpty());
        assertThat(pids).allMatch(ExecListenerTest::gone);
    }

    @Test
    void oneShotLinesRunOnPublishAndPublishDoneWithTheSessionVariables() {
        String log = ">>" + dir + "/events";
        configure(false,
            new String[] {"exec_publish", "sh", "-c", "echo publish $app $name $addr $flashver $tcurl $args", log},
            new String[] {"exec_publish_done", "sh", "-c", "echo done $name $swfurl $pageurl $args", log});

        listener.onPublishStarted(new PublishEvent(APP, peer(1), "cam", "k=v", "live"));
        assertThat(linesOf("events", 1)).containsExactly("publish src cam 127.0.0.1 FMLE/3.0 rtmp://localhost/src k=v");
        listener.onPublishDone(done(1, "cam"));

        assertThat(linesOf("events", 2)).endsWith("done cam http://swf http://page k=v");
        await().atMost(10, TimeUnit.SECONDS).until(() -> supervisor.snapshot().isEmpty());
        assertThat(supervisor.counters().restarts()).isZero();
    }

    @Test
    void execOptionsNamesRestrictALineToThoseStreams() {
        configure(true, new String[] {"exec_push", "sleep", "100", "name=other"},
            new String[] {"exec_push", "sleep", "101", "name=cam"});

        listener.onPublishStarted(new PublishEvent(APP, peer(1), "cam", "", "live"));

        runningPids(ExecConfig.Kind.PUSH, 1);
        assertThat(children(ExecConfig.Kind.PUSH)).extracting(ChildSnapshot::command).containsExactly("sleep 101");
    }

    @Test
    void anApplicationWithoutExecLinesStartsNothing() {
        listener.onPublishStarted(new PublishEvent(APP, peer(1), "cam", "", "live"));
        listener.onPlayStarted(play(2));

        assertThat(supervisor.snapshot()).isEmpty();
    }

    @Test
    void aDisconnectStopsThePushChildrenOfAPublishThatNeverEnded() {
        configure(false, new String[] {"exec", "sleep", "100"});
        listener.onPublishStarted(new PublishEvent(APP, peer(1), "cam", "", "live"));
        long pid = runningPids(ExecConfig.Kind.PUSH, 1).getFirst();

        listener.onDisconnect(new ConnectEvent(AdmissionConfig.DEFAULT, peer(1)));

        await().atMost(10, TimeUnit.SECONDS).until(() -> supervisor.snapshot().isEmpty() && gone(pid));
    }

    @Test
    void pullChildrenRunFromTheFirstPlayerToTheLastWithOnlyNameAndApp() {
        configure(false, new String[] {"exec_pull", "sh", "-c", "echo $name $app $tcurl.; exec sleep 100",
            ">>" + dir + "/pull"});

        listener.onPlayStarted(play(1));
        listener.onPlayStarted(play(2));
        long pid = runningPids(ExecConfig.Kind.PULL, 1).getFirst();
        assertThat(linesOf("pull", 1)).containsExactly("cam src .");

        listener.onPlayDone(done(1, "cam"));
        listener.onPlayDone(done(1, "cam"));
        assertThat(children(ExecConfig.Kind.PULL)).extracting(ChildSnapshot::pid).containsExactly(pid);

        listener.onDisconnect(new ConnectEvent(AdmissionConfig.DEFAULT, peer(2)));
        await().atMost(10, TimeUnit.SECONDS).until(() -> supervisor.snapshot().isEmpty() && gone(pid));

        listener.onPlayStarted(play(3));
        assertThat(runningPids(ExecConfig.Kind.PULL, 1).getFirst()).isNotEqualTo(pid);
    }

    @Test
    void playAndPlayDoneRunTheirOneShotLines() {
        String log = ">>" + dir + "/plays";
        configure(false, new String[] {"exec_play", "sh", "-c", "echo play $name $addr", log},
            new String[] {"exec_play_done", "sh", "-c", "echo play_done $name", log});

        listener.onPlayStarted(play(7));
        assertThat(linesOf("plays", 1)).containsExactly("play cam 127.0.0.1");
        listener.onPlayDone(done(7, "cam"));

        assertThat(linesOf("plays", 2)).endsWith("play_done cam");
    }

    @Test
    void recordDoneRunsWithTheFileVariables() {
        configure(false, new String[] {"exec_record_done", "sh", "-c",
            "echo $recorder $path $dirname $filename $basename $name $args", ">" + dir + "/record"});

        listener.onRecordDone(new RecordDoneEvent(APP, peer(1), new RecordConfig.Recorder("rec1", Set.of(), null,
            ".flv", false, false, false, 0, 0, null, false), "cam", "k=v",
            Path.of("/var/rec/cam-1700000000.flv")));

        assertThat(linesOf("record", 1)).containsExactly(
            "rec1 /var/rec/cam-1700000000.flv /var/rec cam-1700000000.flv cam-1700000000 cam k=v");
    }

    @Test
    void aRecorderBlocksOwnLinesRunAsWellAsItsApplicationsWithTheFileVariables() {
        String log = ">>" + dir + "/record";
        configure(false, new String[] {"exec_record_started", "sh", "-c", "echo app-started $recorder $filename", log},
            new String[] {"exec_record_done", "sh", "-c", "echo app-done $recorder $filename", log});
        RecordConfig.Hooks hooks = new RecordConfig.Hooks(null, null,
            List.of(ExecConfig.Command.parse(ExecConfig.Kind.RECORD_STARTED,
                List.of("sh", "-c", "echo own-started $recorder $basename", log), false)),
            List.of(ExecConfig.Command.parse(ExecConfig.Kind.RECORD_DONE,
                List.of("sh", "-c", "echo own-done $recorder $dirname", log), false)));
        RecordConfig.Recorder chunks = new RecordConfig.Recorder("chunks", Set.of(), null, ".flv", false, false,
            false, 0, 0, null, false, hooks);

        listener.onRecordStarted(new RecordStartedEvent(APP, peer(1), chunks, "cam", "", Path.of("/r/cam-1.flv")));
        assertThat(linesOf("record", 2)).containsExactlyInAnyOrder("own-started chunks cam-1",
            "app-started chunks cam-1.flv");
        listener.onRecordDone(new RecordDoneEvent(APP, peer(1), chunks, "cam", "", Path.of("/r/cam-1.flv")));

        assertThat(linesOf("record", 4).subList(2, 4)).containsExactlyInAnyOrder("own-done chunks /r",
            "app-done chunks cam-1.flv");
    }

    @ParameterizedTest
    @CsvSource(emptyValue = "", value = {
        "/var/rec/cam.flv, /var/rec, cam.flv, cam",
        "/var/rec/cam.v2.flv, /var/rec, cam.v2.flv, cam.v2",
        "/var/rec/cam, /var/rec, cam, cam",
        "cam.flv, '', cam.flv, cam",
        "/cam.flv, '', cam.flv, cam",
    })
    void theRecordedFileIsCutAsNginxRtmpCutsIt(String path, String dirname, String filename, String basename) {
        assertThat(ExecListener.recordFile(Path.of(path))).isEqualTo(Map.of("path", path, "dirname", dirname,
            "filename", filename, "basename", basename));
    }

    @Test
    void staticLinesStartAsWrittenAndRestart() {
        configure(false, new String[] {"exec_static", "sh", "-c", "echo '$name'; exit 1", ">>" + dir + "/static"});

        List<ExecChild> started = listener.startStatic(config.get());

        assertThat(started).hasSize(1);
        assertThat(linesOf("static", 2)).startsWith("$name", "$name");
        assertThat(started.getFirst().snapshot().app()).isEmpty();
        await().atMost(10, TimeUnit.SECONDS).until(() -> started.getFirst().snapshot().restarts() > 0);
    }
}
