package onair.exec;

import onair.config.ExecConfig;
import onair.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The supervisor with real child processes, checked by pid. */
class ExecSupervisorTest {

    private static final Duration RESPAWN = Duration.ofMillis(200);

    private final ExecSupervisor supervisor = new ExecSupervisor(new ExecLimits(10, Duration.ofMillis(500),
        Duration.ofSeconds(2), Duration.ofMillis(800), 3, Duration.ofMillis(300), 200));

    @AfterEach
    void close() {
        supervisor.close();
    }

    static ChildSpec spec(ExecConfig.Kind kind, boolean respawn, ExecConfig.KillSignal signal,
            LongSupplier lastFrame, String... line) {
        ExecConfig.Command command = ExecConfig.Command.parse(kind, List.of(line), false);
        return new ChildSpec("src", "cam", kind, Invocation.of(command, Map.of("name", "cam", "app", "src")),
            respawn, RESPAWN, signal, lastFrame);
    }

    static ChildSpec push(String... line) {
        return spec(ExecConfig.Kind.PUSH, true, ExecConfig.KillSignal.TERM, null, line);
    }

    private ExecChild start(ChildSpec spec) {
        return supervisor.start(spec).orElseThrow();
    }

    private static long runningPid(ExecChild child) {
        await().atMost(10, TimeUnit.SECONDS).until(() -> child.snapshot().state() == ChildSnapshot.State.RUNNING);
        return child.snapshot().pid();
    }

    private static boolean gone(long pid) {
        return ProcessHandle.of(pid).map(handle -> !handle.isAlive()).orElse(true);
    }

    @Test
    void outputReachesTheLogLineByLineWithTheStreamAndPid() throws Exception {
        try (LogCapture log = new LogCapture(ChildOutput.class)) {
            ExecChild child = start(spec(ExecConfig.Kind.PUBLISH, true, ExecConfig.KillSignal.TERM, null,
                "sh", "-c", "printf 'one\\\\ntwo\\\\rthree\\\\n'; echo $name >&2"));

            child.gone().get(10, TimeUnit.SECONDS);
            long pid = child.snapshot().pid();
            await().atMost(10, TimeUnit.SECONDS).until(() -> log.lines("stderr").size() == 1);
            assertThat(log.lines("pid " + pid)).containsExactlyInAnyOrder(
                "exec_publish src/cam pid " + pid + " stdout: one",
                "exec_publish src/cam pid " + pid + " stdout: two",
                "exec_publish src/cam pid " + pid + " stdout: three",
                "exec_publish src/cam pid " + pid + " stderr: cam");
        }
        assertThat(supervisor.snapshot()).isEmpty();
        assertThat(supervisor.counters().exitsByCode()).isEqualTo(Map.of(0, 1L));
    }

    @Test
    void stopSendsTermAndTheChildIsGone() throws Exception {
        ExecChild child = start(push("sleep", "100"));
        long pid = runningPid(child);

        child.stop().get(10, TimeUnit.SECONDS);

        assertThat(gone(pid)).isTrue();
        assertThat(child.snapshot().state()).isEqualTo(ChildSnapshot.State.EXITED);
        assertThat(child.snapshot().lastExitCode()).isEqualTo(128 + 15);
        assertThat(supervisor.snapshot()).isEmpty();
        assertThat(supervisor.counters().restarts()).isZero();
    }

    @Test
    void aChildThatIgnoresItsSignalIsKilledAfterTheGrace() throws Exception {
        try (LogCapture log = new LogCapture(ExecChild.class); LogCapture output = new LogCapture(ChildOutput.class)) {
            ExecChild child = start(push("sh", "-c", "trap '' TERM; echo ready; exec sleep 100"));
            long pid = runningPid(child);
            await().atMost(10, TimeUnit.SECONDS).until(() -> !output.lines("ready").isEmpty());

            child.stop().get(10, TimeUnit.SECONDS);

            assertThat(gone(pid)).isTrue();
            assertThat(child.snapshot().lastExitCode()).isEqualTo(128 + 9);
            assertThat(log.lines("still running")).containsExactly(
                "exec_push src/cam: pid " + pid + " still running 500 ms after SIGTERM; killing it");
        }
    }

    @Test
    void stopAlsoEndsTheProcessesTheChildStarted() throws Exception {
        try (LogCapture output = new LogCapture(ChildOutput.class)) {
            ExecChild child = start(push("sh", "-c", "sleep 100 & echo started \\$!; wait"));
            long shell = runningPid(child);
            await().atMost(10, TimeUnit.SECONDS).until(() -> !output.lines("started ").isEmpty());
            long background = Long.parseLong(output.lines("started ").getFirst().replaceAll(".*started ", ""));

            child.stop().get(10, TimeUnit.SECONDS);

            assertThat(gone(shell)).isTrue();
            await().atMost(10, TimeUnit.SECONDS).until(() -> gone(background));
        }
    }

    @Test
    void theWatchdogWatchesOnlyChildrenThatRestart() {
        ExecChild child = start(spec(ExecConfig.Kind.PUSH, false, ExecConfig.KillSignal.TERM,
            () -> Long.MIN_VALUE, "sleep", "100"));
        long pid = runningPid(child);

        await().during(Duration.ofMillis(2000)).atMost(Duration.ofSeconds(5))
            .until(() -> child.snapshot().state() == ChildSnapshot.State.RUNNING && child.snapshot().pid() == pid);
    }

    @Test
    void anotherKillSignalIsSentByName() throws Exception {
        try (LogCapture output = new LogCapture(ChildOutput.class)) {
            ExecChild child = start(spec(ExecConfig.Kind.PUSH, true, ExecConfig.KillSignal.parse("INT"), null,
                "sh", "-c", "trap 'echo got INT; exit 7' INT; echo ready; while :; do sleep 0.05; done"));
            runningPid(child);
            await().atMost(10, TimeUnit.SECONDS).until(() -> !output.lines("ready").isEmpty());

            child.stop().get(10, TimeUnit.SECONDS);

            assertThat(child.snapshot().lastExitCode()).isEqualTo(7);
            await().atMost(10, TimeUnit.SECONDS).until(() -> !output.lines("got INT").isEmpty());
        }
    }

    @Test
    void aChildKilledFromOutsideIsRestarted() {
        ExecChild child = start(push("sleep", "100"));
        long first = runningPid(child);

        ProcessHandle.of(first).orElseThrow().destroyForcibly();

        await().atMost(10, TimeUnit.SECONDS).until(() -> child.snapshot().state() == ChildSnapshot.State.RUNNING
            && child.snapshot().pid() != first);
        assertThat(child.snapshot().restarts()).isEqualTo(1);
        assertThat(child.snapshot().lastExitCode()).isEqualTo(128 + 9);
        assertThat(supervisor.counters().restarts()).isEqualTo(1);
        assertThat(supervisor.counters().running()).isEqualTo(1);
    }

    @Test
    void aChildThatExitsAtOnceIsRestartedWithBackoffThenGivenUpWithOneLine() {
        try (LogCapture log = new LogCapture(ExecChild.class)) {
            ExecChild child = start(push("sh", "-c", "exit 3"));

            await().atMost(10, TimeUnit.SECONDS).until(() -> child.snapshot().state()
                == ChildSnapshot.State.GIVEN_UP);

            assertThat(child.snapshot().restarts()).isEqualTo(2);
            assertThat(supervisor.counters().exitsByCode()).isEqualTo(Map.of(3, 3L));
            assertThat(log.lines("restarting in")).hasSize(2);
            assertThat(log.lines("restarting in").get(0)).endsWith("restarting in 200 ms");
            assertThat(log.lines("restarting in").get(1)).endsWith("restarting in 400 ms");
            assertThat(log.lines("giving up")).hasSize(1);
            assertThat(log.lines("giving up").getFirst()).contains("exited with code 3")
                .contains("exited 3 times in a row within 800 ms of starting").endsWith("sh -c exit 3");
            assertThat(supervisor.snapshot()).extracting(ChildSnapshot::state)
                .containsExactly(ChildSnapshot.State.GIVEN_UP);
        }
    }

    @Test
    void theRestartDelayDoublesUpToTheCap() {
        try (ExecSupervisor capped = new ExecSupervisor(new ExecLimits(10, Duration.ofMillis(500),
                Duration.ofMillis(300), Duration.ofSeconds(5), 4, Duration.ofMillis(300), 200));
             LogCapture log = new LogCapture(ExecChild.class)) {
            ExecChild child = capped.start(push("false")).orElseThrow();

            await().atMost(10, TimeUnit.SECONDS).until(() -> child.snapshot().state()
                == ChildSnapshot.State.GIVEN_UP);

            assertThat(log.lines("restarting in")).extracting(line -> line.replaceAll(".*restarting in ", ""))
                .containsExactly("200 ms", "300 ms", "300 ms");
        }
    }

    @Test
    void aChildThatCannotStartLogsOneLineAndIsNotRetried() {
        try (LogCapture log = new LogCapture(ExecChild.class)) {
            ExecChild child = start(push("/nonexistent/ffmpeg", "-i", "x"));

            await().atMost(10, TimeUnit.SECONDS).until(() -> child.snapshot().state()
                == ChildSnapshot.State.GIVEN_UP);
            await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5))
                .until(() -> supervisor.counters().failedStarts() == 1);

            assertThat(log.lines("cannot start")).hasSize(1);
            assertThat(log.lines("cannot start").getFirst())
                .startsWith("exec_push src/cam: cannot start \"/nonexistent/ffmpeg\": ").endsWith("; not retrying");
            assertThat(child.snapshot().restarts()).isZero();
            assertThat(child.snapshot().pid()).isZero();
        }
    }

    @Test
    void withRespawnOffAManagedChildStaysExitedUntilStopped() throws Exception {
        ExecChild child = start(spec(ExecConfig.Kind.PUSH, false, ExecConfig.KillSignal.TERM, null, "true"));

        await().atMost(10, TimeUnit.SECONDS).until(() -> child.snapshot().state() == ChildSnapshot.State.EXITED);
        assertThat(supervisor.snapshot()).hasSize(1);
        assertThat(child.gone()).isNotDone();

        child.stop().get(10, TimeUnit.SECONDS);
        assertThat(supervisor.snapshot()).isEmpty();
        assertThat(child.snapshot().restarts()).isZero();
    }

    @Test
    void oneShotChildrenAreNeverRestarted() throws Exception {
        ExecChild child = start(spec(ExecConfig.Kind.RECORD_DONE, true, ExecConfig.KillSignal.TERM, null,
            "sh", "-c", "exit 1"));

        child.gone().get(10, TimeUnit.SECONDS);

        assertThat(ProcessHandle.of(child.snapshot().pid())).as("reaped, not a zombie").isEmpty();
        assertThat(child.snapshot().state()).isEqualTo(ChildSnapshot.State.EXITED);
        assertThat(child.snapshot().lastExitCode()).isEqualTo(1);
        assertThat(supervisor.counters().restarts()).isZero();
        assertThat(supervisor.snapshot()).isEmpty();
    }

    @Test
    void theNumberOfChildrenIsBounded() throws Exception {
        try (ExecSupervisor small = new ExecSupervisor(ExecLimits.defaults(2));
             LogCapture log = new LogCapture(ExecSupervisor.class)) {
            ExecChild first = small.start(push("sleep", "100")).orElseThrow();
            small.start(push("sleep", "100")).orElseThrow();

            Optional<ExecChild> third = small.start(push("sleep", "101"));

            assertThat(third).isEmpty();
            assertThat(log.lines("not starting")).containsExactly(
                "exec_push src/cam: not starting \"sleep 101\": the server already has 2 exec children, the limit");
            first.stop().get(10, TimeUnit.SECONDS);
            assertThat(small.start(push("sleep", "100"))).isPresent();
        }
    }

    @Test
    void theWatchdogRestartsAChildWhoseStreamGetsNoFrames() {
        try (LogCapture log = new LogCapture(ExecChild.class)) {
            ExecChild child = start(spec(ExecConfig.Kind.PUSH, true, ExecConfig.KillSignal.TERM,
                () -> Long.MIN_VALUE, "sleep", "100"));
            long first = runningPid(child);

            await().atMost(10, TimeUnit.SECONDS).until(() -> child.snapshot().restarts() == 1
                && child.snapshot().state() == ChildSnapshot.State.RUNNING);

            assertThat(gone(first)).isTrue();
            assertThat(log.lines("sent no frames")).first().asString()
                .startsWith("exec_push src/cam: pid " + first + " sent no frames to its stream for ");
        }
    }

    @Test
    void theWatchdogLeavesAChildWhoseStreamGetsFrames() {
        ExecChild child = start(spec(ExecConfig.Kind.PUSH, true, ExecConfig.KillSignal.TERM, System::nanoTime,
            "sleep", "100"));
        long pid = runningPid(child);

        await().during(Duration.ofMillis(2000)).atMost(Duration.ofSeconds(5))
            .until(() -> child.snapshot().restarts() == 0 && child.snapshot().pid() == pid);
    }

    @Test
    void closeStopsEveryChildAndRefusesNewOnes() {
        List<ExecChild> children = List.of(start(push("sleep", "100")),
            start(push("sh", "-c", "trap '' TERM; exec sleep 100")),
            start(spec(ExecConfig.Kind.PLAY, true, ExecConfig.KillSignal.TERM, null, "sleep", "100")));
        List<Long> pids = children.stream().map(ExecSupervisorTest::runningPid).toList();

        supervisor.close();

        assertThat(pids).allMatch(ExecSupervisorTest::gone);
        assertThat(supervisor.snapshot()).isEmpty();
        assertThat(supervisor.start(push("sleep", "100"))).isEmpty();
    }

    @Test
    void redirectsSendOutputToFiles(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cam.log");
        ExecChild child = start(spec(ExecConfig.Kind.PUBLISH, true, ExecConfig.KillSignal.TERM, null,
            "sh", "-c", "echo out; echo err >&2", ">" + dir + "/$name.log", "2>&1"));

        child.gone().get(10, TimeUnit.SECONDS);

        assertThat(Files.readAllLines(file)).containsExactly("out", "err");
    }
}
