package onair.it;

import onair.config.ExecConfig;
import onair.exec.ChildOutput;
import onair.exec.ChildSnapshot;
import onair.exec.ChildSpec;
import onair.exec.ExecChild;
import onair.exec.ExecLimits;
import onair.exec.ExecSupervisor;
import onair.exec.Invocation;
import onair.stats.StatPages;
import onair.stats.StatSection;
import onair.stream.StreamKey;
import onair.testing.CallbackBackend;
import onair.testing.CallbackBackend.Call;
import onair.testing.LogCapture;
import onair.testing.TestServer;
import tools.jackson.jr.ob.JSON;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The exec supervisor running the bundled real ffmpeg: its progress in the log, why Onair stops with TERM, and exec
 * lines of a running server: an ffmpeg ladder feeding HLS variants, children that end with their stream and at
 * shutdown, a killed child respawned, a missing program given up at once, the children in stat JSON, metrics and the
 * web page's API, and exec_record_done with on_record_done once per recorded file.
 */
class ExecInteropIT {

    private final ExecSupervisor supervisor = new ExecSupervisor(ExecLimits.defaults(4));

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        supervisor.close();
    }

    private static ChildSpec recording(Path mp4, ExecConfig.KillSignal signal) {
        Path ffmpeg = Ffmpeg.ffmpegPath();
        ExecConfig.Command command = ExecConfig.Command.parse(ExecConfig.Kind.PUSH, List.of("env",
            "LD_LIBRARY_PATH=" + ffmpeg.getParent(), ffmpeg.toString(), "-hide_banner", "-nostdin", "-re",
            "-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-c:v", "libx264", "-preset", "ultrafast",
            "-f", "mp4", mp4.toString()), false);
        return new ChildSpec("src", "cam", ExecConfig.Kind.PUSH, Invocation.of(command, Map.of()), true,
            Duration.ofSeconds(5), signal, null);
    }

    /** The file's duration as ffprobe reads it, or null when ffprobe cannot read it. */
    private static Double duration(Path mp4) throws IOException, InterruptedException {
        Path ffprobe = Ffmpeg.ffprobePath();
        ProcessBuilder builder = new ProcessBuilder(ffprobe.toString(), "-v", "error", "-show_entries",
            "format=duration", "-of", "csv=p=0", mp4.toString()).redirectErrorStream(true);
        builder.environment().put("LD_LIBRARY_PATH", ffprobe.getParent().toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return process.exitValue() == 0 && output.matches("[0-9.]+") ? Double.valueOf(output) : null;
    }

    private ExecChild recordTwoProgressLines(Path mp4, ExecConfig.KillSignal signal, LogCapture output) {
        ExecChild child = supervisor.start(recording(mp4, signal)).orElseThrow();
        await().atMost(30, TimeUnit.SECONDS).until(() -> child.snapshot().state() == ChildSnapshot.State.RUNNING);
        await().atMost(30, TimeUnit.SECONDS).until(() -> output.lines("frame=").size() >= 2);
        return child;
    }

    @Test
    void ffmpegsProgressReachesTheLogLineByLineAndTermLeavesAPlayableMp4() throws Exception {
        Path mp4 = dir.resolve("term.mp4");
        try (LogCapture output = new LogCapture(ChildOutput.class)) {
            ExecChild child = recordTwoProgressLines(mp4, ExecConfig.KillSignal.TERM, output);
            long pid = child.snapshot().pid();

            child.stop().get(30, TimeUnit.SECONDS);

            assertThat(output.lines("frame=")).allMatch(line -> line.startsWith("exec_push src/cam pid " + pid
                + " stderr: frame=") && line.indexOf('\r') < 0);
        }
        assertThat(duration(mp4)).as("ffprobe reads the MP4 ffmpeg finished on TERM").isNotNull().isPositive();
    }

    @Test
    void killLeavesAnMp4WithoutItsIndex() throws Exception {
        Path mp4 = dir.resolve("kill.mp4");
        try (LogCapture output = new LogCapture(ChildOutput.class)) {
            ExecChild child = recordTwoProgressLines(mp4, ExecConfig.KillSignal.KILL, output);

            child.stop().get(30, TimeUnit.SECONDS);

            assertThat(child.snapshot().lastExitCode()).isEqualTo(128 + 9);
        }
        assertThat(duration(mp4)).as("ffprobe cannot read the MP4 of a killed ffmpeg").isNull();
    }

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** The bundled ffmpeg as an exec line starts it: through {@code env}, which execs it under the same pid. */
    private static String ffmpegLine() {
        Path ffmpeg = Ffmpeg.ffmpegPath();
        return "env LD_LIBRARY_PATH=" + ffmpeg.getParent() + " " + ffmpeg + " -hide_banner -nostdin -loglevel warning";
    }

    private static TestServer server(int port, String applications) throws InterruptedException {
        return TestServer.start("rtmp { server { listen 127.0.0.1:" + port + "; " + applications + " } }");
    }

    private static FfmpegPublisher publish(TestServer server, String app, String name) {
        return FfmpegPublisher.builder(TestMedia.h264Aac360p(), server.url(app, name)).loop()
            .lifetime(Duration.ofMinutes(2)).name("exec-" + app + "-" + name).start();
    }

    private static List<ChildSnapshot> children(TestServer server, ChildSnapshot.State state) {
        return server.server().exec().snapshot().stream().filter(child -> child.state() == state).toList();
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void anFfmpegLadderFeedsBothHlsVariantsAndEndsWithThePublisher() throws Exception {
        int port = FreePort.pick();
        String out = "rtmp://127.0.0.1:" + port + "/hls/";
        Set<Long> pids = new HashSet<>();
        try (TestServer server = server(port, """
                application src { live on; publish_notify on; exec %1$s -i rtmp://127.0.0.1:%2$d/src/$name
                    -c:v libx264 -preset ultrafast -b:v 300k -s 320x180 -c:a copy -f flv %3$s$name_low
                    -c:v libx264 -preset ultrafast -b:v 500k -s 480x270 -c:a copy -f flv %3$s$name_hi; }
                application hls { live on; hls on; hls_path %4$s; hls_fragment 1s;
                    hls_variant _low BANDWIDTH=400000; hls_variant _hi BANDWIDTH=700000; }
                """.formatted(ffmpegLine(), port, out, dir))) {
            Path master = dir.resolve("cam.m3u8");
            try (FfmpegPublisher publisher = publish(server, "src", "cam")) {
                await().atMost(Duration.ofSeconds(20)).until(() -> Files.isRegularFile(master)
                    && Files.readString(master).contains("cam_low.m3u8")
                    && Files.readString(master).contains("cam_hi.m3u8"));
                assertThat(Ffmpeg.probe("probe-ladder-master", WAIT, "-show_entries", "stream=width", "-of",
                    "csv=p=0", master.toString()).lines().filter(line -> !line.isBlank()).distinct().toList())
                    .containsExactlyInAnyOrder("320", "480");
                List<ChildSnapshot> running = children(server, ChildSnapshot.State.RUNNING);
                assertThat(running).singleElement().satisfies(child -> {
                    assertThat(child.kind()).isEqualTo(ExecConfig.Kind.PUSH);
                    assertThat(child.command()).contains("rtmp://127.0.0.1:" + port + "/src/cam", out + "cam_low",
                        out + "cam_hi");
                });
                running.forEach(child -> pids.add(child.pid()));

                publisher.stop();

                await().atMost(ExecLimits.defaults(1).killGrace())
                    .until(() -> pids.stream().noneMatch(ExecInteropIT::alive));
            }
            assertThat(server.server().exec().snapshot()).allMatch(child -> !child.state().live());
        }
    }

    @Test
    void aChildKilledFromOutsideIsRespawnedAndShownInStatisticsAndNoneOutlivesTheServer() throws Exception {
        Set<Long> pids = new HashSet<>();
        try (TestServer server = server(0, """
                application src { live on; respawn_timeout 200ms; exec sleep 3600; exec_static sleep 3601; }
                """)) {
            StatPages pages = new StatPages(server.server()::config, server.server().registry(),
                server.server().clients(), server.server().exec());
            try (FfmpegPublisher publisher = publish(server, "src", "cam")) {
                await().atMost(WAIT).until(() -> children(server, ChildSnapshot.State.RUNNING).size() == 2);
                ChildSnapshot push = children(server, ChildSnapshot.State.RUNNING).stream()
                    .filter(child -> child.kind() == ExecConfig.Kind.PUSH).findFirst().orElseThrow();
                pids.add(push.pid());
                children(server, ChildSnapshot.State.RUNNING).forEach(child -> pids.add(child.pid()));
                assertThat(execJson(pages)).containsEntry("running", 2);
                assertThat(children(execJson(pages))).anySatisfy(child -> {
                    assertThat(child).containsEntry("pid", (int) push.pid()).containsEntry("state", "running")
                        .containsEntry("kind", "exec_push").containsEntry("restarts", 0);
                });
                assertThat(pages.metrics().body()).contains("onair_exec_running 2\n", "onair_exec_restarts_total 0\n");

                ProcessHandle.of(push.pid()).orElseThrow().destroyForcibly();

                await().atMost(WAIT).until(() -> children(server, ChildSnapshot.State.RUNNING).stream()
                    .anyMatch(child -> child.id() == push.id() && child.pid() != push.pid()));
                ChildSnapshot respawned = children(server, ChildSnapshot.State.RUNNING).stream()
                    .filter(child -> child.id() == push.id()).findFirst().orElseThrow();
                pids.add(respawned.pid());
                assertThat(respawned.restarts()).isEqualTo(1);
                assertThat(respawned.lastExitCode()).isEqualTo(128 + 9);
                assertThat(children(execJson(pages))).anySatisfy(child -> assertThat(child)
                    .containsEntry("pid", (int) respawned.pid()).containsEntry("restarts", 1));
                assertThat(pages.metrics().body()).contains("onair_exec_running 2\n", "onair_exec_restarts_total 1\n",
                    "onair_exec_exits_total{code=\"137\"} 1\n");
            }
        }
        assertThat(pids).hasSize(3).noneMatch(ExecInteropIT::alive);
    }

    @Test
    void theWatchdogRestartsAChildWhoseStreamBackHereStalls() throws Exception {
        int port = FreePort.pick();
        try (LogCapture log = new LogCapture(ExecChild.class);
             TestServer server = server(port, """
                application src { live on; respawn_timeout 1s; exec %s -re -f lavfi -i testsrc=size=160x120:rate=25
                    -c:v libx264 -preset ultrafast -f flv rtmp://127.0.0.1:%d/out/$name; }
                application out { live on; }
                """.formatted(ffmpegLine(), port));
             FfmpegPublisher publisher = publish(server, "src", "cam")) {
            StreamKey out = new StreamKey("out", "cam");
            await().atMost(WAIT).until(() -> server.server().registry().find(out)
                .map(stream -> stream.framesIn() > 5).orElse(false));
            ChildSnapshot child = children(server, ChildSnapshot.State.RUNNING).getFirst();

            Process stop = new ProcessBuilder("kill", "-STOP", Long.toString(child.pid())).start();
            assertThat(stop.waitFor()).isZero();

            await().atMost(WAIT).until(() -> children(server, ChildSnapshot.State.RUNNING).stream()
                .anyMatch(running -> running.id() == child.id() && running.pid() != child.pid()));
            assertThat(log.lines("sent no frames to its stream")).singleElement().asString()
                .startsWith("exec_push src/cam: pid " + child.pid() + " sent no frames to its stream for ");
            assertThat(alive(child.pid())).isFalse();
        }
    }

    @Test
    void aProgramThatDoesNotExistLogsOneLineAndIsNotRespawned() throws Exception {
        try (LogCapture log = new LogCapture(ExecChild.class);
             TestServer server = server(0, """
                application src { live on; respawn_timeout 200ms; exec /nonexistent/ffmpeg -i $name; }
                """);
             FfmpegPublisher publisher = publish(server, "src", "cam")) {
            await().atMost(WAIT).until(() -> !children(server, ChildSnapshot.State.GIVEN_UP).isEmpty());

            assertThat(log.lines("cannot start")).singleElement().asString()
                .startsWith("exec_push src/cam: cannot start \"/nonexistent/ffmpeg\": ").endsWith("; not retrying");
            assertThat(server.server().exec().counters().failedStarts()).isEqualTo(1);
            assertThat(server.server().exec().snapshot()).singleElement()
                .satisfies(child -> assertThat(child.restarts()).isZero());
        }
    }

    @Test
    void execRecordDoneAndOnRecordDoneRunOncePerFinishedFileWithItsVariables() throws Exception {
        Path records = Files.createDirectories(dir.resolve("records"));
        Path out = dir.resolve("record-done.out");
        try (CallbackBackend backend = CallbackBackend.start();
             TestServer server = server(0, """
                application live { live on; record all; record_path %1$s; record_interval 1s;
                    record_suffix -%%H%%M%%S.flv; on_record_done %2$s;
                    exec_record_done echo $recorder:$name:$path:$filename:$basename:$dirname >>%3$s; }
                """.formatted(records, backend.url("/done"), out))) {
            try (FfmpegPublisher publisher = FfmpegPublisher.builder(TestMedia.h264Aac360p(), server.url("live", "cam"))
                    .name("exec-record").start()) {
                publisher.awaitCompletion(WAIT);
            }
            await().atMost(WAIT).until(() -> server.server().registry().find(new StreamKey("live", "cam"))
                .map(stream -> !stream.isLive()).orElse(true));
            List<Path> files;
            try (var listing = Files.list(records)) {
                files = listing.sorted().toList();
            }
            assertThat(files).as("a file per keyframe interval of the 6 s clip").hasSizeGreaterThanOrEqualTo(2);
            List<Call> calls = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                calls.add(backend.await("record_done"));
            }
            await().atMost(WAIT).until(() -> Files.exists(out) && Files.readAllLines(out).size() == files.size());

            assertThat(calls).extracting(call -> call.arg("path"))
                .containsExactlyInAnyOrderElementsOf(files.stream().map(Path::toString).toList());
            assertThat(calls).allSatisfy(call -> assertThat(call.map()).containsEntry("name", "cam")
                .containsEntry("recorder", ""));
            assertThat(Files.readAllLines(out)).containsExactlyInAnyOrderElementsOf(files.stream().map(file -> {
                String name = file.getFileName().toString();
                return ":cam:" + file + ":" + name + ":" + name.substring(0, name.lastIndexOf('.')) + ":" + records;
            }).toList());
            assertThat(backend.pending()).isEmpty();
        }
    }

    @Test
    void theWebPageListsAStreamsRunningChildren() throws Exception {
        try (TestServer server = TestServer.start("rtmp { server { listen 127.0.0.1:0; application live { live on; "
                + "exec sleep 3600; } } } http { server { listen 127.0.0.1:0; location / { } } }");
             FfmpegPublisher publisher = publish(server, "live", "cam")) {
            await().atMost(WAIT).until(() -> children(server, ChildSnapshot.State.RUNNING).size() == 1);
            long pid = children(server, ChildSnapshot.State.RUNNING).getFirst().pid();
            String json = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.server().httpAddresses().getFirst().getPort() + "/api/streams")).build(),
                HttpResponse.BodyHandlers.ofString()).body();

            assertThat(JSON.std.listFrom(json)).singleElement().satisfies(stream -> assertThat(
                (List<?>) ((Map<?, ?>) stream).get("exec")).singleElement().isEqualTo(Map.of("kind", "exec_push",
                "command", "sleep 3600", "pid", (int) pid, "state", "running", "restarts", 0)));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> execJson(StatPages pages) throws IOException {
        return (Map<String, Object>) JSON.std.mapFrom(pages.stat(Map.of("format", List.of("json")), null,
            EnumSet.allOf(StatSection.class), null).body()).get("exec");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> children(Map<String, Object> exec) {
        return (List<Map<String, Object>>) exec.get("children");
    }
}
