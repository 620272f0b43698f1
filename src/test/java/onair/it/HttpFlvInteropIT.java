package onair.it;

import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real ffmpeg publishes over RTMP and real ffmpeg downloads over HTTP-FLV ({@code -i http://…/live/KEY.flv -c copy}):
 * every packet is byte-identical to the published one, and the download ends when the publisher does.
 */
class HttpFlvInteropIT {

    private static final String CONFIG = """
        rtmp { server { listen 127.0.0.1:0; application live { live on; } } }
        http { server { listen 127.0.0.1:0; location /live { flv_live on; } } }
        """;
    private static final Duration RUN = Duration.ofSeconds(60);

    private static TestServer server;

    @BeforeAll
    static void start() throws InterruptedException {
        server = TestServer.start(CONFIG);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String flvUrl(String name) {
        return "http://127.0.0.1:" + server.server().httpAddresses().getFirst().getPort() + "/live/" + name + ".flv";
    }

    static Stream<Arguments> media() {
        return Stream.of(
            Arguments.of("http-h264-aac-360p-bframes", (Supplier<Path>) TestMedia::h264Aac360pBFrames),
            Arguments.of("http-hevc-aac-enhanced", (Supplier<Path>) TestMedia::hevcAac));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("media")
    void anHttpFlvDownloadHoldsEveryPublishedPacketByteForByte(String name, Supplier<Path> media) {
        Path file = media.get();
        try (FfmpegPlayer player = FfmpegPlayer.record(flvUrl(name), name)) {
            await().atMost(Duration.ofSeconds(30))
                .until(() -> stream(name).map(LiveStream::subscriberCount).orElse(0) >= 1);
            try (FfmpegPublisher publisher = FfmpegPublisher.publish(file, server.url("live", name))) {
                publisher.awaitCompletion(RUN);
            }
            player.awaitEnd(RUN);

            PacketList published = PacketList.probe(file);
            Packets.Relay relay = Packets.assertRelayed(published, player.packets()).assertTracksInSync();
            assertThat(relay.video().publishedStart()).isZero();
            assertThat(relay.video().reachesEnd(published.video().size())).as("video reaches the end").isTrue();
            assertThat(relay.audio().reachesEnd(published.audio().size())).as("audio reaches the end").isTrue();
        }
    }

    @Test
    void aLateHttpFlvViewerStartsOnTheCachedKeyframe() throws InterruptedException {
        Path file = TestMedia.h264Aac360p();
        try (FfmpegPublisher publisher = FfmpegPublisher.publish(file, server.url("live", "http-late"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> stream("http-late").map(LiveStream::isLive).orElse(false));
            Thread.sleep(2500);
            try (FfmpegPlayer player = FfmpegPlayer.record(flvUrl("http-late"), "http-late")) {
                publisher.awaitCompletion(RUN);
                player.awaitEnd(RUN);

                PacketList published = PacketList.probe(file);
                Packets.Relay relay = Packets.assertRelayed(published, player.packets()).assertTracksInSync();
                assertThat(relay.video().publishedStart()).as("joined after the first GOP").isPositive();
                assertThat(relay.video().reachesEnd(published.video().size())).isTrue();
            }
        }
    }

    private static Optional<LiveStream> stream(String name) {
        return server.server().registry().find(new StreamKey("live", name));
    }
}
