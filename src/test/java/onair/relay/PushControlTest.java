package onair.relay;

import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.testing.SyntheticPublisher;
import onair.testing.TestPlayer;
import onair.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PushControlTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aPushTargetStartsAndStopsOnALiveStreamThroughTheControlApi() throws Exception {
        try (TestServer target = TestServer.start();
             TestServer source = TestServer.start("rtmp { server { listen 127.0.0.1:0; application live { live on; "
                 + "} } } http { server { listen 127.0.0.1:0; location /control { rtmp_control all; } } }");
             SyntheticPublisher publisher = new SyntheticPublisher(source.address(), "live", "src", 10, 500)) {
            String url = "rtmp://127.0.0.1:" + target.address().getPort() + "/live/copy";
            StreamKey copy = new StreamKey("live", "copy");

            assertThat(control(source, "start", "app=live&name=src&url=" + encode(url))).isEqualTo("200 1");
            await().atMost(WAIT).until(() -> target.server().registry().find(copy).map(LiveStream::isLive)
                .orElse(false));
            assertThat(control(source, "start", "app=live&name=src&url=" + encode(url))).isEqualTo("200 0");
            try (TestPlayer player = TestPlayer.play(target.address(), "live", "copy")) {
                publisher.send(10);
                publisher.sync();
                player.readUntilVideo(9, WAIT);
                assertThat(player.videoSequences()).endsWith(7, 8, 9);
            }

            assertThat(control(source, "stop", "app=live&name=src&url=" + encode(url))).isEqualTo("200 1");
            await().atMost(WAIT).until(() -> !target.server().registry().find(copy).map(LiveStream::isLive)
                .orElse(false));
            assertThat(source.server().registry().find(new StreamKey("live", "src")).map(LiveStream::isLive))
                .contains(true);
            assertThat(control(source, "stop", "app=live&name=src&url=" + encode(url))).isEqualTo("200 0");
        }
    }

    @Test
    void badControlRequestsAnswerWithTheReason() throws Exception {
        try (TestServer source = TestServer.start("rtmp { server { listen 127.0.0.1:0; application live { live on; "
                 + "} } } http { server { listen 127.0.0.1:0; location /control { rtmp_control all; } } }");
             SyntheticPublisher publisher = new SyntheticPublisher(source.address(), "live", "src", 10, 500)) {
            assertThat(control(source, "start", "app=live&name=src")).isEqualTo("400 app, name and url are required");
            assertThat(control(source, "start", "app=none&name=src&url=rtmp://127.0.0.1/a/b"))
                .isEqualTo("404 Application not found");
            assertThat(control(source, "start", "app=live&name=other&url=rtmp://127.0.0.1/a/b"))
                .isEqualTo("404 Stream not published");
            assertThat(control(source, "start", "app=live&name=src&url=" + encode("http://127.0.0.1/a/b")))
                .isEqualTo("400 invalid url in \"push\": not rtmp:// or rtmps://");
            assertThat(control(source, "pause", "app=live&name=src&url=rtmp://127.0.0.1/a/b")).startsWith("404");
        }
    }

    private static String control(TestServer server, String method, String query)
            throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + server.server().httpAddresses().getFirst().getPort()
            + "/control/relay/push/" + method + "?" + query);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).build(),
            HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body().strip();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
