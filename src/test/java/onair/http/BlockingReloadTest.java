package onair.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import onair.media.MediaFrame;
import onair.stream.LiveOptions;
import onair.stream.Publication;
import onair.stream.StreamKey;
import onair.testing.Frames;
import onair.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * LL-HLS blocking playlist reload (RFC 8216bis §6.2.5.2) through the built-in server's {@code root} location: a
 * publication fed frame by frame writes fMP4 parts of 200 ms; requests with {@code _HLS_msn}/{@code _HLS_part} are
 * held until the playlist lists what they ask for, time out with 503, and are refused with 400 when malformed or too
 * far ahead; the waiters are bounded.
 */
class BlockingReloadTest {

    private static final StreamKey KEY = new StreamKey("live", "s");
    private static final Pattern SEQUENCE = Pattern.compile("#EXT-X-MEDIA-SEQUENCE:(\\d+)\n");

    @TempDir
    Path dir;

    private TestServer server;
    private Publication publication;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private int time;

    @BeforeEach
    void start() throws InterruptedException {
        server = TestServer.start("""
                rtmp { server { listen 127.0.0.1:0; application live { live on; hls on; hls_path %1$s/hls;
                    hls_fragment 1s; hls_segment_type fmp4; hls_part 200ms; } } }
                http { server { listen 127.0.0.1:0; location /hls { root %1$s; } } }
                """.formatted(dir));
        publication = server.server().registry().stream(KEY, LiveOptions.defaults()).publish();
        publication.send(MediaFrame.of(MediaFrame.Kind.VIDEO, 0, Unpooled.wrappedBuffer(Frames.avcSequenceHeader())));
    }

    @AfterEach
    void stop() {
        if (publication != null) {
            publication.close();
        }
        server.close();
    }

    @Test
    void aBlockingRequestIsAnsweredOnceItsPartIsListed() throws Exception {
        publishUntil(1400);
        Position now = awaitPosition(position -> position.sequence() == 1 && position.parts() >= 1);
        Position next = new Position(now.sequence(), now.parts());

        CompletableFuture<HttpResponse<String>> held = get("_HLS_msn=" + next.sequence() + "&_HLS_part=" + next.parts());
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !held.isDone());
        assertThat(listsPart(playlist(), partUri(next))).isFalse();

        publishUntil(time + 400);
        HttpResponse<String> response = held.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,");
        assertThat(listsPart(response.body(), partUri(next))).as(response.body()).isTrue();

        CompletableFuture<HttpResponse<String>> segment = get("_HLS_msn=2");
        publishUntil(3100);
        assertThat(segment.get(10, TimeUnit.SECONDS).body()).contains("\ns-2.m4s\n");
    }

    @Test
    void aRequestWhosePartDoesNotComeInThreeTargetDurationsGets503() throws Exception {
        publishUntil(1400);
        Position now = awaitPosition(position -> position.sequence() == 1 && position.parts() >= 1);

        HttpResponse<String> response = get("_HLS_msn=" + now.sequence() + "&_HLS_part=" + now.parts())
                .get(10, TimeUnit.SECONDS);

        assertThat(response.statusCode()).isEqualTo(503);
    }

    @Test
    void malformedOrFarAheadRequestsAre400AndOthersAreAnsweredAtOnce() throws Exception {
        publishUntil(1400);
        Position now = awaitPosition(position -> position.sequence() == 1 && position.parts() >= 1);
        long msn = now.sequence();
        int part = now.parts();
        record Case(String query, int status) {}
        List<Case> cases = List.of(
                new Case("_HLS_msn=abc", 400),
                new Case("_HLS_msn=-1", 400),
                new Case("_HLS_msn=1.5", 400),
                new Case("_HLS_part=0", 400),
                new Case("_HLS_msn=1&_HLS_part=x", 400),
                new Case("_HLS_msn=99999999999999999999", 400),
                new Case("_HLS_msn=" + (msn + 2), 400),
                new Case("_HLS_msn=" + msn + "&_HLS_part=" + (part + 3), 400),
                new Case("_HLS_msn=" + (msn + 1) + "&_HLS_part=3", 400),
                new Case("_HLS_msn=0", 200),
                new Case("_HLS_msn=" + msn + "&_HLS_part=" + (part - 1), 200),
                new Case("_HLS_skip=YES", 200),
                new Case("", 200));
        for (Case c : cases) {
            assertThat(get(c.query()).get(10, TimeUnit.SECONDS).statusCode()).as(c.query()).isEqualTo(c.status());
        }
    }

    @Test
    void theEndOfTheStreamAnswersTheWaitersWithTheFinalPlaylist() throws Exception {
        publishUntil(1400);
        Position now = awaitPosition(position -> position.sequence() == 1 && position.parts() >= 1);
        CompletableFuture<HttpResponse<String>> held = get("_HLS_msn=" + (now.sequence() + 1));

        publication.close();
        publication = null;

        HttpResponse<String> response = held.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).endsWith("#EXT-X-ENDLIST\n");
    }

    @Test
    void waitersAreBoundedPerPlaylistAndInTotalAndAnsweredWhenTheirPartIsListed() throws Exception {
        EventLoop loop = new DefaultEventLoop();
        try {
            BlockingReload reload = new BlockingReload(2, 3);
            Path a = Path.of("/hls/a.m3u8");
            Path b = Path.of("/hls/b.m3u8");
            Path c = Path.of("/hls/c.m3u8");
            for (Path playlist : List.of(a, b, c)) {
                reload.written(playlist, 5, 1, Duration.ofSeconds(10), false);
            }
            List<Boolean> answers = new CopyOnWriteArrayList<>();

            assertThat(reload.offer(a, new BlockingReload.Waiter(5, 1, loop, answers::add)))
                    .isEqualTo(BlockingReload.Outcome.HELD);
            assertThat(reload.offer(a, new BlockingReload.Waiter(5, 2, loop, answers::add)))
                    .isEqualTo(BlockingReload.Outcome.HELD);
            assertThat(reload.offer(a, new BlockingReload.Waiter(5, 2, loop, answers::add)))
                    .as("a third waiter on one playlist").isEqualTo(BlockingReload.Outcome.FULL);
            assertThat(reload.offer(b, new BlockingReload.Waiter(6, -1, loop, answers::add)))
                    .isEqualTo(BlockingReload.Outcome.HELD);
            assertThat(reload.offer(c, new BlockingReload.Waiter(6, -1, loop, answers::add)))
                    .as("a fourth waiter in all").isEqualTo(BlockingReload.Outcome.FULL);
            assertThat(reload.offer(c, new BlockingReload.Waiter(5, 0, loop, answers::add)))
                    .as("a part already listed").isEqualTo(BlockingReload.Outcome.READY);

            reload.written(a, 5, 2, Duration.ofSeconds(10), false);
            await().atMost(Duration.ofSeconds(5)).until(() -> reload.waiting() == 2 && answers.equals(List.of(true)));
            reload.cancel(b, new BlockingReload.Waiter(6, -1, loop, answers::add));
            assertThat(reload.waiting()).isEqualTo(2);

            reload.written(a, 5, 2, Duration.ofSeconds(10), true);
            reload.written(b, 7, 0, Duration.ofSeconds(10), false);
            await().atMost(Duration.ofSeconds(5)).until(() -> reload.waiting() == 0 && answers.size() == 3);
            assertThat(answers).containsOnly(true);
            assertThat(reload.offer(c, new BlockingReload.Waiter(6, 0, loop, answers::add)))
                    .as("room again").isEqualTo(BlockingReload.Outcome.HELD);
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /** Segment {@code sequence} is being written and {@code parts} of its parts are listed. */
    private record Position(long sequence, int parts) {}

    private Position awaitPosition(Predicate<Position> reached) {
        Position[] seen = new Position[1];
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            seen[0] = position(playlist());
            return reached.test(seen[0]);
        });
        return seen[0];
    }

    private static Position position(String playlist) {
        Matcher sequence = SEQUENCE.matcher(playlist);
        if (!sequence.find()) {
            return new Position(-1, 0);
        }
        long segments = playlist.lines().filter(line -> line.startsWith("#EXTINF:")).count();
        String tail = playlist.substring(Math.max(0, playlist.lastIndexOf("#EXTINF:")));
        int parts = (int) tail.lines().filter(line -> line.startsWith("#EXT-X-PART:")).count();
        return new Position(Long.parseLong(sequence.group(1)) + segments, parts);
    }

    private static boolean listsPart(String playlist, String uri) {
        return playlist.lines().anyMatch(line -> line.startsWith("#EXT-X-PART:") && line.contains("URI=\"" + uri + "\""));
    }

    private static String partUri(Position position) {
        return "s-" + position.sequence() + "." + position.parts() + ".m4s";
    }

    /** H.264 at 25 frames/s with a keyframe each second, from where the last call stopped to {@code until} ms. */
    private void publishUntil(int until) {
        for (; time < until; time += 40) {
            publication.send(MediaFrame.of(MediaFrame.Kind.VIDEO, time,
                    Unpooled.wrappedBuffer(Frames.video(time % 1000 == 0, time / 40, 64))));
        }
    }

    private String playlist() throws Exception {
        HttpResponse<String> response = get("").get(10, TimeUnit.SECONDS);
        return response.statusCode() == 200 ? response.body() : "";
    }

    private CompletableFuture<HttpResponse<String>> get(String query) throws IOException {
        int port = server.server().httpAddresses().getFirst().getPort();
        URI uri = URI.create("http://127.0.0.1:" + port + "/hls/s.m3u8" + (query.isEmpty() ? "" : "?" + query));
        return client.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
