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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real ffmpeg 8 (OpenSSL inside) publishes over {@code rtmps://} to a {@code listen ... ssl} with a self-signed
 * certificate made at test time; ffmpeg players over rtmps and over plain rtmp receive every packet byte for byte.
 */
class RtmpsInteropIT {

    private static final Duration RUN = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    private static TestServer server;
    private static TestCertificate certificate;

    @BeforeAll
    static void start() throws InterruptedException {
        certificate = TestCertificate.create(dir, "RSA");
        server = TestServer.start("""
            rtmp { server {
                listen 127.0.0.1:0 ssl;
                listen 127.0.0.1:0;
                ssl_certificate %s;
                ssl_certificate_key %s;
                chunk_size 4000;
                application live { live on; publish_notify on; } } }
            """.formatted(certificate.certificate(), certificate.key()));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String url(String scheme, int listen, String name) {
        return scheme + "://127.0.0.1:" + server.address(listen).getPort() + "/live/" + name;
    }

    @Test
    void ffmpegRoundTripsAStreamOverRtmpsByteForByte() {
        Path file = TestMedia.h264Aac360pBFrames();
        String name = "rtmps";
        try (FfmpegPlayer tls = FfmpegPlayer.record(url("rtmps", 0, name), "rtmps-player");
             FfmpegPlayer plain = FfmpegPlayer.record(url("rtmp", 1, name), "rtmps-plain-player")) {
            await().atMost(Duration.ofSeconds(30))
                .until(() -> stream(name).map(LiveStream::subscriberCount).orElse(0) >= 2);
            try (FfmpegPublisher publisher = FfmpegPublisher.builder(file, url("rtmps", 0, name))
                    .name("rtmps-publisher").start()) {
                publisher.awaitCompletion(RUN);
            }
            tls.awaitEnd(RUN);
            plain.awaitEnd(RUN);

            PacketList published = PacketList.probe(file);
            for (FfmpegPlayer player : new FfmpegPlayer[] {tls, plain}) {
                Packets.Relay relay = Packets.assertRelayed(published, player.packets()).assertTracksInSync();
                assertThat(relay.video().publishedStart()).as("from the first packet").isZero();
                assertThat(relay.video().reachesEnd(published.video().size())).as("video reaches the end").isTrue();
                assertThat(relay.audio().reachesEnd(published.audio().size())).as("audio reaches the end").isTrue();
            }
        }
    }

    @Test
    void aVerifyingFfmpegTrustsTheServedCertificateThroughItsCaFile() {
        String url = url("rtmps", 0, "verified");
        try (FfmpegPublisher publisher = FfmpegPublisher.builder(TestMedia.h264Aac360p(), url).name("rtmps-verified")
                .outputArgs("-tls_verify", "1", "-ca_file", certificate.certificate().toString()).start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> stream("verified").map(LiveStream::isLive).orElse(false));
            publisher.awaitCompletion(RUN);
        }
    }

    @Test
    void aVerifyingFfmpegWithoutTheCaFileRefusesTheSelfSignedCertificate() {
        try (FfmpegPublisher publisher = FfmpegPublisher.builder(TestMedia.h264Aac360p(), url("rtmps", 0, "unverified"))
                .name("rtmps-unverified").outputArgs("-tls_verify", "1").start()) {
            assertThat(publisher.process().waitFor(RUN)).as("ffmpeg fails the TLS handshake").isNotZero();
            assertThat(stream("unverified")).isEmpty();
        }
    }

    private static Optional<LiveStream> stream(String name) {
        return server.server().registry().find(new StreamKey("live", name));
    }
}
