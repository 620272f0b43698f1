package onair.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.testing.TestCertificate;
import onair.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real ffmpeg publishes to a server whose application pushes to a plain {@code rtmp://} target and an
 * {@code rtmps://} one (trusted through {@code relay_ssl_trusted_certificate}); ffmpeg players of both targets
 * receive every packet byte for byte, and an edge that pulls through a dead origin first serves an ffprobe.
 */
class RelayInteropIT {

    private static final Duration RUN = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void ffmpegsStreamIsPushedToAnRtmpAndAnRtmpsTargetByteForByte() throws Exception {
        TestCertificate certificate = TestCertificate.create(dir, "RSA");
        try (TestServer plain = TestServer.start("rtmp { server { listen 127.0.0.1:0; application live { live on; "
                 + "publish_notify on; } } }");
             TestServer tls = TestServer.start("rtmp { server { listen 127.0.0.1:0 ssl; listen 127.0.0.1:0; "
                 + "ssl_certificate " + certificate.certificate() + "; ssl_certificate_key " + certificate.key()
                 + "; application live { live on; publish_notify on; } } }");
             TestServer source = TestServer.start("rtmp { server { listen 127.0.0.1:0; application live { live on; "
                 + "push rtmp://127.0.0.1:" + plain.address().getPort() + "/live/a-key; "
                 + "push rtmps://127.0.0.1:" + tls.address(0).getPort() + "/live/b-key; "
                 + "relay_ssl_trusted_certificate " + certificate.certificate() + "; } } }");
             FfmpegPlayer first = FfmpegPlayer.record(plain.url("live", "a-key"), "relay-plain-player");
             FfmpegPlayer second = FfmpegPlayer.record("rtmp://127.0.0.1:" + tls.address(1).getPort()
                 + "/live/b-key", "relay-tls-player")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> subscribers(plain, "a-key") >= 1
                && subscribers(tls, "b-key") >= 1);
            Path file = TestMedia.h264Aac360pBFrames();
            try (FfmpegPublisher publisher = FfmpegPublisher.builder(file, source.url("live", "src"))
                    .name("relay-publisher").start()) {
                publisher.awaitCompletion(RUN);
            }
            first.awaitEnd(RUN);
            second.awaitEnd(RUN);

            PacketList published = PacketList.probe(file);
            for (FfmpegPlayer player : new FfmpegPlayer[] {first, second}) {
                Packets.Relay relay = Packets.assertRelayed(published, player.packets()).assertTracksInSync();
                assertThat(relay.video().publishedStart()).as("from the first packet").isZero();
                assertThat(relay.video().reachesEnd(published.video().size())).as("video reaches the end").isTrue();
                assertThat(relay.audio().reachesEnd(published.audio().size())).as("audio reaches the end").isTrue();
            }
        }
    }

    @Test
    void anEdgeWithADeadFirstOriginServesFfprobeFromTheSecond() throws Exception {
        int down = FreePort.pick();
        try (TestServer origin = TestServer.start("rtmp { server { listen 127.0.0.1:0; application live { "
                 + "live on; } } }");
             TestServer edge = TestServer.start("rtmp { server { listen 127.0.0.1:0; application live { live on; "
                 + "pull rtmp://127.0.0.1:" + down + "/live; pull rtmp://127.0.0.1:" + origin.address().getPort()
                 + "/live; } } }");
             FfmpegPublisher publisher = FfmpegPublisher.builder(TestMedia.h264Aac360p(), origin.url("live", "cam"))
                 .loop().name("relay-origin-publisher").start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> origin.server().registry()
                .find(new StreamKey("live", "cam")).map(LiveStream::isLive).orElse(false));

            String streams = Ffmpeg.probe("relay-edge-probe", RUN, "-show_entries", "stream=codec_name",
                "-of", "csv=p=0", edge.url("live", "cam"));

            assertThat(streams.lines().map(String::strip).sorted()).containsExactly("aac", "h264");
        }
    }

    private static int subscribers(TestServer server, String name) {
        Optional<LiveStream> stream = server.server().registry().find(new StreamKey("live", name));
        return stream.map(LiveStream::subscriberCount).orElse(0);
    }
}
