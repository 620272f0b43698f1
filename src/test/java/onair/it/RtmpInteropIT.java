package onair.it;

import io.netty.util.ReferenceCountUtil;
import onair.rtmp.message.MediaMessage;
import onair.rtmp.message.RtmpMessage;
import onair.rtmpserver.RtmpSession;
import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.testing.LogCapture;
import onair.testing.RtmpTestClient;
import onair.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real ffmpeg 8 publishes to Onair and real ffmpeg plays back with {@code -c copy}: every packet a player receives is
 * byte-identical to the published one, the run is contiguous, starts on a keyframe and keeps a constant offset.
 */
class RtmpInteropIT {

    private static final String CONFIG = """
        rtmp { server { listen 127.0.0.1:0; chunk_size 4000;
            application live { live on; publish_notify on; } } }
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

    static Stream<Arguments> media() {
        return Stream.of(
            Arguments.of("h264-aac-360p", (Supplier<Path>) TestMedia::h264Aac360p),
            Arguments.of("h264-aac-360p-bframes", (Supplier<Path>) TestMedia::h264Aac360pBFrames),
            Arguments.of("h264-aac-720p-4mbit", (Supplier<Path>) TestMedia::h264Aac720p),
            Arguments.of("hevc-aac-enhanced-rtmp", (Supplier<Path>) TestMedia::hevcAac));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("media")
    void aPlayerReceivesEveryPublishedPacketByteForByte(String name, Supplier<Path> media) {
        Path file = media.get();
        String url = server.url("live", name);
        try (FfmpegPlayer player = FfmpegPlayer.record(url, name)) {
            awaitSubscribers(name, 1);
            try (FfmpegPublisher publisher = FfmpegPublisher.publish(file, url)) {
                publisher.awaitCompletion(RUN);
            }
            player.awaitEnd(RUN);

            PacketList published = PacketList.probe(file);
            Packets.Relay relay = Packets.assertRelayed(published, player.packets()).assertTracksInSync();
            assertThat(relay.video().reachesEnd(published.video().size())).as("video reaches the end").isTrue();
            assertThat(relay.audio().reachesEnd(published.audio().size())).as("audio reaches the end").isTrue();
        }
    }

    @Test
    void aPublisherWhoseConnectListsFourCcsGetsOnairsCapabilitiesAndPublishesEveryPacket() {
        Path file = TestMedia.hevcAac();
        String name = "hevc-four-cc-list";
        String url = server.url("live", name);
        try (FfmpegPlayer player = FfmpegPlayer.record(url, name);
             LogCapture log = new LogCapture(RtmpSession.class)) {
            awaitSubscribers(name, 1);
            try (FfmpegPublisher publisher = FfmpegPublisher.builder(file, url).name("publisher-four-cc-list")
                    .outputArgs("-rtmp_enhanced_codecs", "hvc1,mp4a").start()) {
                publisher.awaitCompletion(RUN);
            }
            player.awaitEnd(RUN);

            String tcUrl = url.substring(0, url.lastIndexOf('/'));
            assertThat(log.lines("tcUrl=" + tcUrl + " fourCcList=[hvc1, mp4a] capsEx=0"))
                .as("ffmpeg's connect announced its FourCCs, so Onair's _result carried its capabilities").hasSize(1);

            PacketList published = PacketList.probe(file);
            Packets.Relay relay = Packets.assertRelayed(published, player.packets()).assertTracksInSync();
            assertThat(relay.video().reachesEnd(published.video().size())).as("video reaches the end").isTrue();
        }
    }

    @Test
    void aLateJoinerStartsOnTheCachedKeyframeAndStaysContiguous() {
        Path file = TestMedia.h264Aac360pBFrames();
        String url = server.url("live", "late");
        try (FfmpegPublisher publisher = FfmpegPublisher.publish(file, url)) {
            awaitLive("late");
            sleep(Duration.ofMillis(2500));
            try (FfmpegPlayer player = FfmpegPlayer.record(url, "late-joiner")) {
                publisher.awaitCompletion(RUN);
                player.awaitEnd(RUN);

                PacketList published = PacketList.probe(file);
                Packets.Relay relay = Packets.assertRelayed(published, player.packets()).assertTracksInSync();
                assertThat(relay.video().publishedStart()).as("joined after the first GOP").isPositive();
                assertThat(relay.video().reachesEnd(published.video().size())).isTrue();
            }
        }
    }

    @Test
    void fiftyConcurrentPlayersAllReceiveTheSameStream() {
        Path file = TestMedia.h264Aac360p();
        String url = server.url("live", "fifty");
        List<FfmpegPlayer> players = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                players.add(FfmpegPlayer.record(url, "fifty-" + i));
            }
            awaitSubscribers("fifty", 50);
            try (FfmpegPublisher publisher = FfmpegPublisher.publish(file, url)) {
                publisher.awaitCompletion(RUN);
            }
            PacketList published = PacketList.probe(file);
            for (FfmpegPlayer player : players) {
                player.awaitEnd(RUN);
                Packets.Relay relay = Packets.assertRelayed(published, player.packets()).assertTracksInSync();
                assertThat(relay.video().publishedStart()).isZero();
                assertThat(relay.video().reachesEnd(published.video().size())).isTrue();
                assertThat(relay.audio().reachesEnd(published.audio().size())).isTrue();
            }
        } finally {
            players.forEach(FfmpegPlayer::close);
        }
    }

    @Test
    void aLateJoinersFirstKeyframeArrivesWithin200MillisecondsFromTheGopCache() throws Exception {
        String url = server.url("live", "instant");
        try (FfmpegPublisher publisher = FfmpegPublisher.builder(TestMedia.h264Aac360p(), url).loop().start()) {
            awaitLive("instant");
            sleep(Duration.ofMillis(3000));
            List<Duration> joins = new ArrayList<>();
            for (int join = 0; join < 4; join++) {
                long connectStarted = System.nanoTime();
                try (RtmpTestClient player = RtmpTestClient.open(server.address())) {
                    player.connect("live");
                    player.play(player.createStream(), "instant");
                    joins.add(untilKeyframe(player, connectStarted));
                }
            }
            Duration ffmpegFirstKeyframe = FfmpegPlayer.timeToFirstKeyframe(url, Duration.ofSeconds(20));
            List<Duration> warm = joins.subList(1, joins.size()).stream().sorted().toList();
            System.out.printf("late joiners: first keyframe %s after TCP connect (first join warms up the test "
                + "client); ffmpeg wrote it %d ms after its start%n", joins, ffmpegFirstKeyframe.toMillis());

            assertThat(warm.get(1)).as("median time to the first keyframe").isLessThan(Duration.ofMillis(200));
            String streams = Ffmpeg.probe("late-joiner-streams", Duration.ofSeconds(20),
                "-show_entries", "stream=codec_type,codec_name", "-of", "csv=p=0", url);
            assertThat(streams.lines().sorted()).as("no metadata shows up as a data stream")
                .containsExactly("aac,audio", "h264,video");
        }
    }

    private static Duration untilKeyframe(RtmpTestClient player, long since) throws InterruptedException {
        while (true) {
            RtmpMessage message = player.poll(Duration.ofSeconds(10));
            assertThat(message).as("a message within 10 s").isNotNull();
            try {
                if (message instanceof MediaMessage media && media.typeId() == 9) {
                    int first = media.payload().getUnsignedByte(media.payload().readerIndex());
                    int packetType = media.payload().getUnsignedByte(media.payload().readerIndex() + 1);
                    if (first >> 4 == 1 && packetType == 1) {
                        return Duration.ofNanos(System.nanoTime() - since);
                    }
                }
            } finally {
                ReferenceCountUtil.release(message);
            }
        }
    }

    private static void awaitSubscribers(String name, int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> stream(name).map(LiveStream::subscriberCount).orElse(0) >= count);
    }

    private static void awaitLive(String name) {
        await().atMost(Duration.ofSeconds(30)).until(() -> stream(name).map(LiveStream::isLive).orElse(false));
    }

    private static java.util.Optional<LiveStream> stream(String name) {
        return server.server().registry().find(new StreamKey("live", name));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
