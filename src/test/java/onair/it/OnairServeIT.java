package onair.it;

import io.netty.util.ReferenceCountUtil;
import onair.rtmp.message.RtmpMessage;
import onair.rtmp.message.UserControl;
import onair.testing.RtmpTestClient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged server with its built-in configuration, as {@code ./onair} starts it: it serves
 * rtmp://127.0.0.1:1935/live/KEY to real ffmpeg, and SIGTERM ends the stream for its players before it exits 0.
 */
class OnairServeIT {

    @Test
    void servesTheBuiltInConfigurationAndShutsDownCleanlyOnSigterm() throws Exception {
        assertPortFree(1935);
        assertPortFree(8080);
        Path log = Files.createTempFile("onair-serve", ".log");
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
            "-jar", OnairCommandIT.OnairProcess.jar().toString()));
        Process onair = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log).contains("rtmp listening on"));
            String url = "rtmp://127.0.0.1:1935/live/key";
            try (FfmpegPublisher publisher = FfmpegPublisher.builder(TestMedia.h264Aac360p(), url).loop().start();
                 RtmpTestClient player = RtmpTestClient.open(new InetSocketAddress("127.0.0.1", 1935))) {
                player.connect("live");
                player.play(player.createStream(), "key");
                await().atMost(Duration.ofSeconds(20)).until(() -> Files.readString(log).contains("publish app=live name=key"));
                Thread.sleep(1000);

                onair.destroy();

                assertThat(onair.waitFor(20, TimeUnit.SECONDS)).as("onair exits after SIGTERM").isTrue();
                assertThat(receivedStreamEof(player)).as("the player got StreamEOF").isTrue();
                assertThat(player.awaitClosed(Duration.ofSeconds(5))).isTrue();
            }
            String output = Files.readString(log);
            assertThat(onair.exitValue()).as(output).isZero();
            assertThat(output).contains("SIGTERM received", "closed: server shutting down", "stopped");
        } finally {
            onair.destroyForcibly();
        }
    }

    private static boolean receivedStreamEof(RtmpTestClient player) throws InterruptedException {
        RtmpMessage message;
        while ((message = player.poll(Duration.ofSeconds(5))) != null) {
            try {
                if (message instanceof UserControl control && control.event() == UserControl.Event.STREAM_EOF) {
                    return true;
                }
            } finally {
                ReferenceCountUtil.release(message);
            }
        }
        return false;
    }

    private static void assertPortFree(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            throw new AssertionError("port " + port + " is already in use: stop whatever listens there to run this test");
        } catch (IOException free) {
            assertThat(free).isNotNull();
        }
    }
}
