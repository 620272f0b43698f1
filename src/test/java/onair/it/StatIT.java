package onair.it;

import onair.stats.Reply;
import onair.stats.StatPages;
import onair.stats.StatSection;
import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;
import tools.jackson.jr.ob.JSON;

import java.io.StringReader;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Real ffmpeg publishes H.264/AAC 720p and real ffmpeg plays: the statistics describe both and the stream's codecs. */
class StatIT {

    private static final String STREAM = "/rtmp/server/application[name='live']/live/stream[name='stat']";

    private static String xpath(String xml, String path) throws Exception {
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder()
            .parse(new InputSource(new StringReader(xml)));
        return XPathFactory.newInstance().newXPath().evaluate(path, document);
    }

    @Test
    @SuppressWarnings("unchecked")
    void statShowsFfmpegsStreamWithItsMetadataAndBothClients() throws Exception {
        try (TestServer server = TestServer.start()) {
            StatPages pages = new StatPages(server.server()::config, server.server().registry(),
                server.server().clients(), server.server().exec());
            String url = server.url("live", "stat");
            try (FfmpegPlayer player = FfmpegPlayer.record(url, "stat-player");
                 FfmpegPublisher publisher = FfmpegPublisher.builder(TestMedia.h264Aac720p(), url).loop()
                     .lifetime(Duration.ofMinutes(2)).name("stat-publisher").start()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> stream(server).map(LiveStream::subscriberCount)
                    .orElse(0) == 1 && stream(server).map(LiveStream::isLive).orElse(false));
                await().atMost(Duration.ofSeconds(30)).until(() -> player.recordedBytes() > 100_000);
                await().atMost(Duration.ofSeconds(30)).until(() -> Long.parseLong(
                    xpath(xml(pages), "concat('0', " + STREAM + "/bw_in)")) > 0);
                await().atMost(Duration.ofSeconds(30)).until(() -> stream(server)
                    .map(live -> live.stats().keyframeInterval() > 0).orElse(false));

                String xml = xml(pages);
                assertThat(xpath(xml, STREAM + "/nclients")).isEqualTo("2");
                assertThat(xpath(xml, STREAM + "/meta/video/width")).isEqualTo("1280");
                assertThat(xpath(xml, STREAM + "/meta/video/height")).isEqualTo("720");
                assertThat(xpath(xml, STREAM + "/meta/video/frame_rate")).isEqualTo("25");
                assertThat(xpath(xml, STREAM + "/meta/video/codec")).isEqualTo("H264");
                assertThat(xpath(xml, STREAM + "/meta/video/profile")).isEqualTo("High");
                assertThat(xpath(xml, STREAM + "/meta/audio/codec")).isEqualTo("AAC");
                assertThat(xpath(xml, STREAM + "/meta/audio/profile")).isEqualTo("LC");
                assertThat(xpath(xml, STREAM + "/meta/audio/sample_rate")).isEqualTo("44100");
                assertThat(xpath(xml, STREAM + "/meta/audio/channels")).isEqualTo("2");
                assertThat(xpath(xml, STREAM + "/client[publishing]/flashver")).startsWith("FMLE/3.0 (compatible; Lavf");
                assertThat(Long.parseLong(xpath(xml, STREAM + "/bytes_in"))).isGreaterThan(100_000);
                assertThat(Long.parseLong(xpath(xml, "/rtmp/bytes_out"))).isGreaterThan(100_000);

                Map<String, Object> stream = firstStream(pages.stat(Map.of("format", List.of("json")), null,
                    EnumSet.allOf(StatSection.class), null));
                assertThat(stream).containsEntry("viewers", Map.of("rtmp", 1, "rtmps", 0, "http-flv", 0, "hls", 0));
                assertThat(((Number) stream.get("keyframe_interval_seconds")).doubleValue()).isEqualTo(2.0);
                assertThat(((Number) stream.get("fps")).doubleValue()).isPositive();
                assertThat(pages.metrics().body())
                    .contains("onair_stream_viewers{app=\"live\",name=\"stat\",protocol=\"rtmp\"} 1\n");
            }
        }
    }

    private static String xml(StatPages pages) {
        return pages.stat(Map.of(), null, EnumSet.allOf(StatSection.class), null).body();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> firstStream(Reply reply) throws Exception {
        Map<String, Object> root = JSON.std.mapFrom(reply.body());
        Map<String, Object> server = ((List<Map<String, Object>>) root.get("servers")).getFirst();
        Map<String, Object> app = ((List<Map<String, Object>>) server.get("applications")).getFirst();
        return ((List<Map<String, Object>>) app.get("streams")).getFirst();
    }

    private static Optional<LiveStream> stream(TestServer server) {
        return server.server().registry().find(new StreamKey("live", "stat"));
    }
}
