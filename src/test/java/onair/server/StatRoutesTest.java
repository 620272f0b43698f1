package onair.server;

import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.testing.SyntheticPublisher;
import onair.testing.TestPlayer;
import onair.testing.TestServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The stat, metrics and control locations of the http block, over HTTP against a live stream. */
class StatRoutesTest {

    private static final String CONFIG = """
        rtmp { server { listen 127.0.0.1:0; application live { live on; } } }
        http { server { listen 127.0.0.1:0;
            location /stat { rtmp_stat all; rtmp_stat_stylesheet /stat.xsl; }
            location /metrics { rtmp_metrics on; }
            location /control { rtmp_control drop; }
            location /live { flv_live on; }
        } }
        """;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void statMetricsAndControlAnswerOverHttpWithTheLiveState() throws Exception {
        try (TestServer server = TestServer.start(CONFIG);
             SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "cam", 25, 2000);
             TestPlayer player = TestPlayer.play(server.address(), "live", "cam")) {
            publisher.send(30);
            publisher.sync();
            StreamKey key = new StreamKey("live", "cam");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.server().registry().find(key)
                .map(LiveStream::subscriberCount).orElse(0) == 1);
            String base = "http://127.0.0.1:" + server.server().httpAddresses().getFirst().getPort();
            InputStream flv = http.send(HttpRequest.newBuilder(URI.create(base + "/live/cam.flv")).build(),
                HttpResponse.BodyHandlers.ofInputStream()).body();
            assertThat(new String(flv.readNBytes(3), StandardCharsets.US_ASCII)).isEqualTo("FLV");

            HttpResponse<String> xml = get(base + "/stat");
            assertThat(xml.statusCode()).isEqualTo(200);
            assertThat(xml.headers().firstValue("content-type").orElseThrow()).startsWith("text/xml");
            assertThat(xml.body()).contains("<?xml-stylesheet type=\"text/xsl\" href=\"/stat.xsl\"")
                .contains("<name>cam</name>").contains("<nclients>3</nclients>").contains("<publishing/>");

            HttpResponse<String> xsl = get(base + "/stat.xsl");
            assertThat(xsl.headers().firstValue("content-type").orElseThrow()).startsWith("text/xsl");
            assertThat(xsl.body()).contains("<xsl:stylesheet").contains("<xsl:template match=\"rtmp\">");

            HttpResponse<String> json = get(base + "/stat?format=json");
            assertThat(json.headers().firstValue("content-type").orElseThrow()).startsWith("application/json");
            assertThat(json.body()).contains("\"name\":\"cam\"");

            HttpResponse<String> metrics = get(base + "/metrics");
            assertThat(metrics.headers().firstValue("content-type").orElseThrow()).startsWith("text/plain; version=0.0.4");
            assertThat(metrics.body()).contains("onair_stream_viewers{app=\"live\",name=\"cam\",protocol=\"rtmp\"} 1")
                .contains("onair_stream_viewers{app=\"live\",name=\"cam\",protocol=\"http-flv\"} 1");

            assertThat(get(base + "/control/redirect/subscriber?app=live&name=cam&newname=x").statusCode())
                .as("a section the location does not allow").isEqualTo(404);
            HttpResponse<String> drop = get(base + "/control/drop/publisher?app=live&name=cam");
            assertThat(drop.statusCode()).isEqualTo(200);
            assertThat(drop.body()).isEqualTo("1");
            Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> !server.server().registry().find(key).map(LiveStream::isLive).orElse(false));
            assertThat(get(base + "/metrics").body()).contains("onair_stream_live{app=\"live\",name=\"cam\"} 0");
            flv.close();
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
