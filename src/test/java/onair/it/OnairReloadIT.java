package onair.it;

import io.netty.util.ReferenceCountUtil;
import onair.rtmp.message.MediaMessage;
import onair.rtmp.message.RtmpMessage;
import onair.testing.RtmpTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged server reloads a rewritten configuration file on SIGHUP and {@code onair -s reload} while ffmpeg
 * publishes and a player watches: a broken file is refused with its line, the new application serves at once and the
 * player's video goes on without a gap; {@code -s stop} then drains it and removes the pid file.
 */
class OnairReloadIT {

    private record Received(long nanos, int timestamp) {}

    @Test
    void reloadAddsAnApplicationWithoutInterruptingALivePlayer(@TempDir Path dir) throws Exception {
        int port = FreePort.pick();
        Path config = dir.resolve("onair.conf");
        Path pidFile = dir.resolve("onair.pid");
        Path log = dir.resolve("onair.log");
        Files.writeString(config, config(port, pidFile, "application live { live on; }"));
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
            "-jar", OnairCommandIT.OnairProcess.jar().toString(), "-c", config.toString()));
        Process onair = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log).contains("rtmp listening on"));
            assertThat(Files.readString(pidFile).strip()).isEqualTo(Long.toString(onair.pid()));
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
            String url = "rtmp://127.0.0.1:" + port + "/live/key";
            List<Received> video = new ArrayList<>();
            try (FfmpegPublisher publisher = FfmpegPublisher.builder(TestMedia.h264Aac360p(), url).loop().start();
                 RtmpTestClient player = RtmpTestClient.open(address)) {
                await().atMost(Duration.ofSeconds(20))
                    .until(() -> Files.readString(log).contains("publish app=live name=key"));
                player.connect("live");
                player.play(player.createStream(), "key");
                Thread reader = Thread.ofVirtual().start(() -> readVideo(player, video));
                Thread.sleep(1500);

                Files.writeString(config, config(port, pidFile, "application live { live on }"));
                assertThat(new ProcessBuilder("kill", "-HUP", Long.toString(onair.pid())).start().waitFor()).isZero();
                await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(log)
                    .contains("reload failed, keeping the old configuration: " + config + ":5: "));
                Thread.sleep(500);
                Files.writeString(config, config(port, pidFile,
                    "application live { live on; } application other { live on; }"));
                long reloaded = System.nanoTime();
                OnairCommandIT.Result signal = OnairCommandIT.OnairProcess.run("-c", config.toString(), "-s", "reload");
                assertThat(signal.exitCode()).as(signal.output()).isZero();
                await().atMost(Duration.ofSeconds(10))
                    .until(() -> Files.readString(log).contains("reloaded " + config));
                try (RtmpTestClient other = RtmpTestClient.open(address)) {
                    assertThat(other.connect("other").name()).isEqualTo("_result");
                }
                Thread.sleep(2000);
                reader.interrupt();
                reader.join();

                List<Received> frames;
                synchronized (video) {
                    frames = List.copyOf(video);
                }
                assertThat(frames).as("video after the reload").anyMatch(frame -> frame.nanos() > reloaded + 1_500_000_000L);
                for (int i = 1; i < frames.size(); i++) {
                    assertThat(frames.get(i).timestamp() - frames.get(i - 1).timestamp())
                        .as("stream time between video frames %d and %d", i - 1, i).isBetween(0, 200);
                    assertThat(frames.get(i).nanos() - frames.get(i - 1).nanos())
                        .as("arrival gap between video frames %d and %d", i - 1, i).isLessThan(1_000_000_000L);
                }
                assertThat(Files.readString(log)).doesNotContain("closed: application");

                OnairCommandIT.Result stop = OnairCommandIT.OnairProcess.run("-c", config.toString(), "-s", "stop");
                assertThat(stop.exitCode()).as(stop.output()).isZero();
                assertThat(onair.waitFor(20, TimeUnit.SECONDS)).as("onair exits after -s stop").isTrue();
                assertThat(player.awaitClosed(Duration.ofSeconds(5))).isTrue();
            }
            String output = Files.readString(log);
            assertThat(onair.exitValue()).as(output).isZero();
            assertThat(output).contains("SIGHUP received", "SIGTERM received", "closed: server shutting down");
            assertThat(pidFile).doesNotExist();
        } finally {
            onair.destroyForcibly();
        }
    }

    private static String config(int port, Path pidFile, String applications) {
        return "pid " + pidFile + ";\nrtmp {\n  server {\n    listen 127.0.0.1:" + port + ";\n    " + applications
            + "\n  }\n}\n";
    }

    private static void readVideo(RtmpTestClient player, List<Received> video) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                RtmpMessage message = player.poll(Duration.ofMillis(200));
                try {
                    if (message instanceof MediaMessage media && media.typeId() == 9
                        && media.payload().getUnsignedByte(media.payload().readerIndex() + 1) != 0) {
                        synchronized (video) {
                            video.add(new Received(System.nanoTime(), media.timestamp()));
                        }
                    }
                } finally {
                    ReferenceCountUtil.release(message);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
