package onair.server;

import onair.rtmp.message.CommandMessage;
import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.testing.RtmpTestClient;
import onair.testing.SyntheticPublisher;
import onair.testing.TestServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /control/reconnect} over HTTP: a publisher whose connect announced capsEx Reconnect gets the Enhanced RTMP
 * v2 {@code NetConnection.Connect.ReconnectRequest} and keeps publishing; one that did not is not asked.
 */
class ReconnectControlTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String CONFIG = """
        rtmp { server { listen 127.0.0.1:0; application live { live on; } } }
        http { server { listen 127.0.0.1:0; location /control { rtmp_control reconnect; } } }
        """;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void onlyAPublisherThatAnnouncedReconnectIsAskedToReconnect() throws Exception {
        try (TestServer server = TestServer.start(CONFIG);
             RtmpTestClient enhanced = RtmpTestClient.open(server.address());
             SyntheticPublisher legacy = new SyntheticPublisher(server.address(), "live", "old", 10, 100)) {
            enhanced.connect("live", Map.of("capsEx", 1.0));
            int streamId = enhanced.createStream();
            enhanced.publish(streamId, "new");
            legacy.send(5);
            legacy.sync();
            Awaitility.await().atMost(WAIT).until(() -> server.server().registry().find(new StreamKey("live", "old"))
                .map(LiveStream::isLive).orElse(false));
            String base = "http://127.0.0.1:" + server.server().httpAddresses().getFirst().getPort() + "/control";

            HttpResponse<String> asked = get(base + "/reconnect/publisher?app=live&name=new&tcurl="
                + URLEncoder.encode("rtmp://edge2:1935/live", StandardCharsets.UTF_8) + "&description=maintenance");
            assertThat(asked.statusCode()).isEqualTo(200);
            assertThat(asked.body()).isEqualTo("1");
            CommandMessage request = enhanced.awaitCommand(command -> command.name().equals("onStatus"));
            assertThat(request.streamId()).isZero();
            assertThat(request.transactionId()).isZero();
            assertThat(request.arguments()).isEqualTo(List.of(Map.of("level", "status",
                "code", "NetConnection.Connect.ReconnectRequest", "description", "maintenance",
                "tcUrl", "rtmp://edge2:1935/live")));

            HttpResponse<String> refused = get(base + "/reconnect/publisher?app=live&name=old");
            assertThat(refused.statusCode()).isEqualTo(409);
            assertThat(refused.body()).contains("Reconnect");
            assertThat(get(base + "/reconnect/publisher?app=live&name=new&tcurl=rtmp://a%20b/").statusCode())
                .as("a tcurl that is no URI reference").isEqualTo(400);
            assertThat(get(base + "/reconnect/publisher?app=live&name=none").body()).isEqualTo("0");
            assertThat(get(base + "/reconnect/nobody?app=live").statusCode()).isEqualTo(500);
            assertThat(get(base + "/drop/publisher?app=live&name=new").statusCode())
                .as("a section the location does not allow").isEqualTo(404);

            enhanced.roundTrip(streamId);
            assertThat(enhanced.channel().isActive()).as("the old server goes on until the client leaves").isTrue();
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
