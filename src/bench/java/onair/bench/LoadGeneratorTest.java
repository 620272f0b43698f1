package onair.bench;

import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.testing.Frames;
import onair.testing.SyntheticPublisher;
import onair.testing.TestServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class LoadGeneratorTest {

    private static final int PLAYERS = 20;
    private static final String WITH_HTTP_FLV = TestServer.SEED
        + " http { server { listen 127.0.0.1:0; location /live { flv_live on; } } }";

    @Test
    void playersCountExactlyWhatAnIndependentPublisherSent() throws Exception {
        int frames = 60;
        int frameSize = 3000;
        try (TestServer server = TestServer.start()) {
            LoadReport report = countFromAnIndependentPublisher(server, server.url("live", "count"), frames, frameSize);

            long publishedPayload = Frames.avcSequenceHeader().length + Frames.aacSequenceHeader().length
                + (long) frames * (frameSize + 32);
            assertThat(report.ok()).isEqualTo(PLAYERS);
            assertThat(report.failed()).isZero();
            assertThat(report.videoMessages()).isEqualTo(PLAYERS * (frames + 1L));
            assertThat(report.audioMessages()).isEqualTo(PLAYERS * (frames + 1L));
            assertThat(report.mediaPayloadBytes()).isEqualTo(PLAYERS * publishedPayload);
            assertThat(report.bytesReceived()).isGreaterThan(report.mediaPayloadBytes());
            assertThat(report.windowBytes()).isLessThanOrEqualTo(report.bytesReceived())
                .isGreaterThan(report.mediaPayloadBytes());
            assertThat(report.firstFrameMs().count()).isEqualTo(PLAYERS);
        }
    }

    @Test
    void replaysAnFlvFileToPlayersAndMeasuresLatencyFromItsOwnClock(@TempDir Path dir) throws Exception {
        Path flv = syntheticFlv(dir.resolve("s.flv"), 50, 25, 2000);
        try (TestServer server = TestServer.start()) {
            LoadGenerator generator = LoadGenerator.start(
                LoadOptions.of(server.url("live", "replay"), PLAYERS, 1, flv, 100, 2));
            generator.awaitRamp();
            generator.beginWindow();
            Thread.sleep(2500);
            LoadReport report = generator.finish();

            assertThat(report.failures()).isEmpty();
            assertThat(report.ok()).isEqualTo(PLAYERS);
            assertThat(report.firstFrameMs().count()).isEqualTo(PLAYERS);
            assertThat(report.latencyMs().count()).isPositive();
            assertThat(report.publishedMessages()).isPositive();
            assertThat(report.videoMessages() + report.audioMessages())
                .isLessThanOrEqualTo(PLAYERS * (report.publishedMessages() + 2))
                .isGreaterThan(0);
            assertThat(report.deliveredMbps()).isPositive();
            assertThat(report.toJson()).contains("\"ok\": " + PLAYERS);
        }
    }

    @Test
    void throttledPlayersFallBehindWhileTheOthersGetEveryFrame() throws Exception {
        int frames = 200;
        int frameSize = 10_000;
        int players = 4;
        try (TestServer server = TestServer.start()) {
            LoadGenerator generator = LoadGenerator.start(
                LoadOptions.of(server.url("live", "slow"), players, 0, null, 200, 1).throttled(0.5, 50));
            generator.awaitRamp();
            StreamKey key = new StreamKey("live", "slow");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.server().registry().find(key)
                .map(LiveStream::subscriberCount).orElse(0) == players);
            generator.beginWindow();
            try (SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "slow", 25, frameSize)) {
                publisher.send(frames);
                publisher.sync();
                long everyFrame = 2L * 2 * (frames + 1);
                Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> generator.mediaMessagesReceived() >= everyFrame);
            }
            LoadReport report = generator.finish();

            assertThat(report.throttled()).isEqualTo(2);
            assertThat(report.ok()).isEqualTo(2);
            assertThat(report.failed()).isZero();
            assertThat(report.videoMessages()).isLessThan(4L * (frames + 1));
            assertThat(report.mediaPayloadBytes()).isLessThan(3L * frames * frameSize);
        }
    }

    @Test
    void httpFlvPlayersCountExactlyWhatAnIndependentPublisherSent() throws Exception {
        int frames = 60;
        int frameSize = 3000;
        try (TestServer server = TestServer.start(WITH_HTTP_FLV)) {
            LoadReport report = countFromAnIndependentPublisher(server, httpFlvUrl(server, "count"), frames, frameSize);

            long publishedPayload = Frames.avcSequenceHeader().length + Frames.aacSequenceHeader().length
                + (long) frames * (frameSize + 32);
            assertThat(report.failures()).isEmpty();
            assertThat(report.ok()).isEqualTo(PLAYERS);
            assertThat(report.videoMessages()).isEqualTo(PLAYERS * (frames + 1L));
            assertThat(report.audioMessages()).isEqualTo(PLAYERS * (frames + 1L));
            assertThat(report.mediaPayloadBytes()).isEqualTo(PLAYERS * publishedPayload);
            long flvFraming = 13 + 15L * 2 * (frames + 1);
            assertThat(report.bytesReceived()).isGreaterThan(PLAYERS * (publishedPayload + flvFraming));
            assertThat(report.firstFrameMs().count()).isEqualTo(PLAYERS);
        }
    }

    @Test
    void httpFlvPlayersOfAnRtmpReplayMeasureFirstFrameAndLatency(@TempDir Path dir) throws Exception {
        Path flv = syntheticFlv(dir.resolve("s.flv"), 50, 25, 2000);
        try (TestServer server = TestServer.start(WITH_HTTP_FLV)) {
            LoadGenerator generator = LoadGenerator.start(
                LoadOptions.of(httpFlvUrl(server, "replay"), server.url("live", "replay"), PLAYERS, 1, flv, 100, 2));
            generator.awaitRamp();
            generator.beginWindow();
            Thread.sleep(2500);
            LoadReport report = generator.finish();

            assertThat(report.failures()).isEmpty();
            assertThat(report.ok()).isEqualTo(PLAYERS);
            assertThat(report.firstFrameMs().count()).isEqualTo(PLAYERS);
            assertThat(report.latencyMs().count()).isPositive();
            assertThat(report.videoMessages() + report.audioMessages())
                .isLessThanOrEqualTo(PLAYERS * (report.publishedMessages() + 2))
                .isGreaterThan(0);
        }
    }

    @Test
    void httpFlvPlayersReportARefusedStream() throws Exception {
        try (TestServer server = TestServer.start(WITH_HTTP_FLV)) {
            String unknownApp = "http://127.0.0.1:" + server.server().httpAddresses().getFirst().getPort()
                + "/nothing/s.flv";
            LoadGenerator generator = LoadGenerator.start(LoadOptions.of(unknownApp, 2, 0, null, 100, 1));
            generator.awaitRamp();
            generator.beginWindow();
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> generator.progress().contains("failed 2"));
            LoadReport report = generator.finish();

            assertThat(report.failed()).isEqualTo(2);
            assertThat(report.failures()).containsOnlyKeys("HTTP HTTP/1.1 404 Not Found");
        }
    }

    private static String httpFlvUrl(TestServer server, String stream) {
        return "http://127.0.0.1:" + server.server().httpAddresses().getFirst().getPort() + "/live/" + stream + ".flv";
    }

    /**
     * Players of {@code url} (stream live/count) join first; then a separate {@link SyntheticPublisher} sends
     * {@code frames} frames and the run ends once every player has received every message.
     */
    private static LoadReport countFromAnIndependentPublisher(TestServer server, String url, int frames, int frameSize)
            throws Exception {
        LoadGenerator generator = LoadGenerator.start(LoadOptions.of(url, PLAYERS, 0, null, 200, 1));
        generator.awaitRamp();
        StreamKey key = new StreamKey("live", "count");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.server().registry().find(key)
            .map(LiveStream::subscriberCount).orElse(0) == PLAYERS);
        generator.beginWindow();
        try (SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "count", 25, frameSize)) {
            publisher.send(frames);
            publisher.sync();
            long expected = PLAYERS * 2L * (frames + 1);
            Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> generator.mediaMessagesReceived() == expected);
            return generator.finish();
        }
    }

    /** An FLV of {@code frames} H.264 frames at 25 fps (a keyframe every {@code gop}) with one AAC frame each. */
    static Path syntheticFlv(Path file, int frames, int gop, int frameSize) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'F', 'L', 'V', 1, 5, 0, 0, 0, 9, 0, 0, 0, 0});
        tag(out, 9, 0, Frames.avcSequenceHeader());
        tag(out, 8, 0, Frames.aacSequenceHeader());
        for (int i = 0; i < frames; i++) {
            tag(out, 9, i * 40, Frames.video(i % gop == 0, i, frameSize));
            tag(out, 8, i * 40 + 1, Frames.audio(i, 32));
        }
        return Files.write(file, out.toByteArray());
    }

    static void tag(ByteArrayOutputStream out, int type, int timestamp, byte[] body) {
        int size = body.length;
        out.writeBytes(new byte[] {(byte) type, (byte) (size >> 16), (byte) (size >> 8), (byte) size,
            (byte) (timestamp >> 16), (byte) (timestamp >> 8), (byte) timestamp, (byte) (timestamp >> 24), 0, 0, 0});
        out.writeBytes(body);
        int total = size + 11;
        out.writeBytes(new byte[] {(byte) (total >> 24), (byte) (total >> 16), (byte) (total >> 8), (byte) total});
    }
}
