package onair.stats;

import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.testing.Frames;
import onair.testing.RtmpTestClient;
import onair.testing.SyntheticPublisher;
import onair.testing.TestPlayer;
import onair.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import tools.jackson.jr.ob.JSON;

import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.stream.StreamResult;
import javax.xml.transform.stream.StreamSource;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The stat, JSON and metrics pages against a live server with a synthetic publisher and two RTMP players. */
class StatPagesTest {

    private static final Set<StatSection> ALL = EnumSet.allOf(StatSection.class);

    private TestServer server;
    private SyntheticPublisher publisher;
    private final List<TestPlayer> players = new ArrayList<>();
    private StatPages pages;

    @BeforeEach
    void publishAndPlay() throws Exception {
        server = TestServer.start();
        pages = new StatPages(server.server()::config, server.server().registry(), server.server().clients(),
            server.server().exec());
        publisher = new SyntheticPublisher(server.address(), "live", "cam", 10, 1000);
        publisher.send(20);
        publisher.sync();
        players.add(TestPlayer.play(server.address(), "live", "cam"));
        players.add(TestPlayer.play(server.address(), "live", "cam"));
        LiveStream stream = server.server().registry().find(new StreamKey("live", "cam")).orElseThrow();
        await().until(() -> stream.subscriberCount() == 2);
        publisher.send(20);
        publisher.sync();
        for (TestPlayer player : players) {
            player.readUntilVideo(39, Duration.ofSeconds(5));
        }
    }

    @AfterEach
    void stop() {
        players.forEach(TestPlayer::close);
        publisher.close();
        server.close();
    }

    private static Document parse(String xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }

    private static String text(Document document, String xpath) throws Exception {
        return (String) XPathFactory.newInstance().newXPath().evaluate(xpath, document, XPathConstants.STRING);
    }

    private static List<String> childNames(Element element) {
        List<String> names = new ArrayList<>();
        NodeList children = element.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i).getNodeType() == Node.ELEMENT_NODE) {
                names.add(children.item(i).getNodeName());
            }
        }
        return names;
    }

    @Test
    void statXmlHasNginxRtmpsElementsInOrderWithTheLiveCountsAndCodecs() throws Exception {
        Reply reply = pages.stat(Map.of(), null, ALL, "stat.xsl");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).isEqualTo("text/xml");
        assertThat(reply.body()).startsWith("<?xml version=\"1.0\" encoding=\"utf-8\" ?>\r\n"
            + "<?xml-stylesheet type=\"text/xsl\" href=\"stat.xsl\" ?>\r\n<rtmp>\r\n");
        Document xml = parse(reply.body());
        assertThat(childNames(xml.getDocumentElement())).containsExactly("nginx_version", "nginx_rtmp_version",
            "compiler", "built", "pid", "uptime", "naccepted", "bw_in", "bytes_in", "bw_out", "bytes_out", "server");
        Element stream = (Element) XPathFactory.newInstance().newXPath()
            .evaluate("/rtmp/server/application[name='live']/live/stream[name='cam']", xml, XPathConstants.NODE);
        assertThat(childNames(stream)).containsExactly("name", "time", "bw_in", "bytes_in", "bw_out", "bytes_out",
            "bw_audio", "bw_video", "client", "client", "client", "meta", "nclients", "publishing", "active");
        String cam = "/rtmp/server/application[name='live']/live/stream[name='cam']";
        assertThat(text(xml, "/rtmp/naccepted")).isEqualTo("3");
        assertThat(text(xml, cam + "/nclients")).isEqualTo("3");
        assertThat(text(xml, "/rtmp/server/application[name='live']/live/nclients")).isEqualTo("3");
        assertThat(Long.parseLong(text(xml, cam + "/bytes_in"))).isGreaterThan(40 * 1000);
        assertThat(Long.parseLong(text(xml, "/rtmp/bytes_in"))).isGreaterThan(40 * 1000);
        assertThat(Long.parseLong(text(xml, "/rtmp/bytes_out"))).isGreaterThan(2 * 20 * 1000);
        assertThat(text(xml, cam + "/meta/video/width")).isEqualTo("640");
        assertThat(text(xml, cam + "/meta/video/height")).isEqualTo("360");
        assertThat(text(xml, cam + "/meta/video/codec")).isEqualTo("H264");
        assertThat(text(xml, cam + "/meta/video/profile")).isEqualTo("High");
        assertThat(text(xml, cam + "/meta/video/level")).isEqualTo("3.1");
        assertThat(text(xml, cam + "/meta/audio/codec")).isEqualTo("AAC");
        assertThat(text(xml, cam + "/meta/audio/profile")).isEqualTo("LC");
        assertThat(text(xml, cam + "/meta/audio/sample_rate")).isEqualTo("44100");
        assertThat(text(xml, cam + "/meta/audio/channels")).isEqualTo("2");
        assertThat(text(xml, "count(" + cam + "/client[publishing])")).isEqualTo("1");
        assertThat(text(xml, "count(" + cam + "/client[active])")).isEqualTo("3");
        String publisherClient = cam + "/client[publishing]";
        assertThat(childNames((Element) XPathFactory.newInstance().newXPath()
            .evaluate(publisherClient, xml, XPathConstants.NODE))).containsExactly("id", "address", "time",
            "flashver", "dropped", "avsync", "timestamp", "publishing", "active");
        assertThat(text(xml, publisherClient + "/address")).isEqualTo("127.0.0.1");
        assertThat(text(xml, publisherClient + "/flashver")).isEqualTo("FMLE/3.0 (compatible; onair-test)");
        assertThat(text(xml, publisherClient + "/timestamp")).isEqualTo("1561");
    }

    @Test
    void sectionsLeaveOutClientsOrStreamsAndNoStylesheetMeansNoInstruction() throws Exception {
        Document global = parse(pages.stat(Map.of(), null, EnumSet.of(StatSection.GLOBAL), null).body());
        assertThat(text(global, "count(//live)")).isEqualTo("0");
        assertThat(text(global, "/rtmp/server/application/name")).isEqualTo("live");
        String live = pages.stat(Map.of(), null, EnumSet.of(StatSection.LIVE), null).body();
        assertThat(live).doesNotContain("xml-stylesheet");
        assertThat(text(parse(live), "count(//stream)")).isEqualTo("1");
        assertThat(text(parse(live), "count(//client)")).isEqualTo("0");
        assertThat(text(parse(live), "//stream/nclients")).isEqualTo("3");
    }

    @Test
    void nginxRtmpsStatXslRendersTheStreamsAndClientsAsHtml() throws Exception {
        String xml = pages.stat(Map.of(), null, ALL, "stat.xsl").body();
        StringWriter html = new StringWriter();
        TransformerFactory.newInstance()
            .newTransformer(new StreamSource(getClass().getResourceAsStream("/onair/stats/stat.xsl")))
            .transform(new StreamSource(new StringReader(xml)), new StreamResult(html));
        String page = html.toString();
        assertThat(page).contains("<b>live</b>", "cam", "640x360", "H264&nbsp;High&nbsp;3.1", "AAC&nbsp;LC", "44100",
            "FMLE/3.0 (compatible; onair-test)", "publishing", "playing");
        Matcher ids = Pattern.compile("<td>(\\d+)</td>\\s*<td>(publishing|playing|active)").matcher(page);
        int rows = 0;
        while (ids.find()) {
            rows++;
        }
        assertThat(rows).isEqualTo(3);
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonCarriesTheSameCountsWithViewersPerProtocol() throws Exception {
        Reply reply = pages.stat(Map.of("format", List.of("json")), null, ALL, null);
        assertThat(reply.contentType()).isEqualTo("application/json");
        Map<String, Object> root = JSON.std.mapFrom(reply.body());
        assertThat(((Number) root.get("accepted")).intValue()).isEqualTo(3);
        assertThat(((Number) root.get("connections")).intValue()).isEqualTo(3);
        Map<String, Object> app = ((List<Map<String, Object>>) ((List<Map<String, Object>>) root.get("servers"))
            .getFirst().get("applications")).getFirst();
        Map<String, Object> stream = ((List<Map<String, Object>>) app.get("streams")).getFirst();
        assertThat(stream).containsEntry("name", "cam").containsEntry("live", true).containsEntry("client_count", 3)
            .containsEntry("viewers", Map.of("rtmp", 2, "rtmps", 0, "http-flv", 0, "hls", 0));
        assertThat((Map<String, Object>) stream.get("video")).containsEntry("codec", "H264")
            .containsEntry("width", 640).containsEntry("height", 360);
        assertThat(((Number) stream.get("keyframe_interval_seconds")).doubleValue()).isEqualTo(0.4);
        assertThat((List<Map<String, Object>>) stream.get("clients")).extracting(c -> c.get("publishing"))
            .containsExactly(true, false, false);
        assertThat(pages.stat(Map.of(), "application/json", ALL, null).contentType())
            .isEqualTo("application/json");
        assertThat(pages.stat(Map.of("format", List.of("xml")), "application/json", ALL, null).contentType())
            .isEqualTo("text/xml");
    }

    @Test
    void prometheusPageHasOneHelpAndTypePerMetricAndTheStreamsViewers() {
        Reply reply = pages.metrics();
        assertThat(reply.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        String page = reply.body();
        assertThat(page).contains("onair_connections 3\n", "onair_connections_accepted_total 3\n",
            "onair_stream_viewers{app=\"live\",name=\"cam\",protocol=\"rtmp\"} 2\n",
            "onair_stream_viewers{app=\"live\",name=\"cam\",protocol=\"http-flv\"} 0\n",
            "onair_stream_live{app=\"live\",name=\"cam\"} 1\n",
            "onair_stream_keyframe_interval_seconds{app=\"live\",name=\"cam\"} 0.4\n",
            "onair_stream_dropped_frames_total{app=\"live\",name=\"cam\"} 0\n",
            "onair_stream_track_info{app=\"live\",name=\"cam\",track=\"0\",kind=\"video\",codec=\"H264\","
                + "codecs=\"\"} 1\n",
            "onair_stream_track_info{app=\"live\",name=\"cam\",track=\"0\",kind=\"audio\",codec=\"AAC\","
                + "codecs=\"mp4a.40.2\"} 1\n",
            "onair_stream_track_width_pixels{app=\"live\",name=\"cam\",track=\"0\",kind=\"video\"} 0\n");
        assertThat(page).doesNotContain("onair_stream_track_width_pixels{app=\"live\",name=\"cam\",track=\"0\","
            + "kind=\"audio\"}");
        List<String> typed = new ArrayList<>();
        String current = null;
        for (String line : page.split("\n")) {
            if (line.startsWith("# HELP ")) {
                current = line.split(" ")[2];
                assertThat(typed).doesNotContain(current);
                typed.add(current);
            } else if (line.startsWith("# TYPE ")) {
                assertThat(line.split(" ")[2]).isEqualTo(current);
                assertThat(line.split(" ")[3]).isIn("gauge", "counter");
            } else {
                assertThat(line).matches(Pattern.quote(current) + "(\\{.*})? -?[0-9.eE+-]+");
                if (current.endsWith("_total")) {
                    assertThat(page).contains("# TYPE " + current + " counter");
                }
            }
        }
        assertThat(typed).contains("onair_bytes_in_total", "onair_bytes_out_total", "onair_stream_bitrate_bits",
            "onair_stream_fps", "onair_stream_av_drift_seconds");
    }

    @Test
    void prometheusPageListsEveryTrackOfAMultitrackPublish() throws Exception {
        try (RtmpTestClient two = RtmpTestClient.open(server.address())) {
            two.connect("live");
            int streamId = two.createStream();
            two.publish(streamId, "two");
            two.sendVideo(streamId, 0, Frames.avcSequenceHeader());
            two.sendVideo(streamId, 0, HexFormat.of().parseHex("960061766331" + "01"
                + "0164001effe1001a6764001eacd940a02ff970110000030001000003003c0f162d9601000668ebe3cb22c0"));
            two.roundTrip(streamId);
            LiveStream stream = server.server().registry().find(new StreamKey("live", "two")).orElseThrow();
            await().until(() -> stream.stats().tracks().size() == 2);

            assertThat(pages.metrics().body()).contains(
                "onair_stream_track_info{app=\"live\",name=\"two\",track=\"0\",kind=\"video\",codec=\"H264\","
                    + "codecs=\"\"} 1\n",
                "onair_stream_track_info{app=\"live\",name=\"two\",track=\"1\",kind=\"video\",codec=\"H264\","
                    + "codecs=\"avc1.64001e\"} 1\n",
                "onair_stream_track_width_pixels{app=\"live\",name=\"two\",track=\"1\",kind=\"video\"} 640\n",
                "onair_stream_track_height_pixels{app=\"live\",name=\"two\",track=\"1\",kind=\"video\"} 360\n");
        }
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "plain|plain",
        "we\"ird|we\\\"ird",
        "back\\slash|back\\\\slash",
    })
    void prometheusLabelValuesAreEscaped(String value, String escaped) {
        assertThat(PrometheusMetrics.escapeLabel(value)).isEqualTo(escaped);
        assertThat(PrometheusMetrics.escapeLabel("a\nb")).isEqualTo("a\\nb");
    }
}
