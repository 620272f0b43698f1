package onair.dash;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;

import static org.assertj.core.api.Assertions.assertThat;

class MpdTest {

    private static final String NS = "urn:mpeg:dash:schema:mpd:2011";
    private static final Instant START = Instant.parse("2026-12-03T18:00:00.125Z");
    private static final Instant NOW = Instant.parse("2026-12-03T18:01:00Z");

    private static final Mpd.Track VIDEO = Mpd.Track.video("video", "avc1.64001e", 800_000, 640, 360, "25",
        "cam-init.m4v", "cam-$Time$.m4v", List.of(new Mpd.Segment(0, 180_000), new Mpd.Segment(180_000, 183_600)));
    private static final Mpd.Track AUDIO = Mpd.Track.audio("mp4a.40.2", 128_000, 44_100, 2,
        "cam-init.m4a", "cam-$Time$.m4a", List.of(new Mpd.Segment(0, 88_064), new Mpd.Segment(88_064, 90_112)));
    private static final Mpd.UtcTiming TIMING = new Mpd.UtcTiming("urn:mpeg:dash:utc:http-iso:2014", "/api/time");

    private static Mpd live(Mpd.Track video, Mpd.Track audio) {
        return new Mpd(START, NOW, Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(30),
            Duration.ofSeconds(4), video == null ? List.of() : List.of(video), audio, TIMING, null);
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }

    private static List<Element> elements(Element parent, String name) {
        NodeList nodes = parent.getElementsByTagNameNS(NS, name);
        List<Element> list = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            list.add((Element) nodes.item(i));
        }
        return list;
    }

    @Test
    void aLiveManifestIsDynamicWithAFixedStartAndTheWindowAndUpdatePeriod() throws Exception {
        Element mpd = parse(live(VIDEO, AUDIO).xml()).getDocumentElement();

        assertThat(mpd.getNamespaceURI()).isEqualTo(NS);
        assertThat(mpd.getLocalName()).isEqualTo("MPD");
        assertThat(mpd.getAttribute("type")).isEqualTo("dynamic");
        assertThat(mpd.getAttribute("profiles")).isEqualTo("urn:mpeg:dash:profile:isoff-live:2011");
        assertThat(mpd.getAttribute("availabilityStartTime")).isEqualTo("2026-12-03T18:00:00.125Z");
        assertThat(mpd.getAttribute("publishTime")).isEqualTo("2026-12-03T18:01:00Z");
        assertThat(mpd.getAttribute("minimumUpdatePeriod")).isEqualTo("PT2S");
        assertThat(mpd.getAttribute("minBufferTime")).isEqualTo("PT2S");
        assertThat(mpd.getAttribute("timeShiftBufferDepth")).isEqualTo("PT30S");
        assertThat(mpd.getAttribute("suggestedPresentationDelay")).isEqualTo("PT4S");
        assertThat(mpd.hasAttribute("mediaPresentationDuration")).isFalse();
        assertThat(elements(mpd, "Period")).singleElement().satisfies(period ->
            assertThat(period.getAttribute("start")).isEqualTo("PT0S"));
        assertThat(elements(mpd, "UTCTiming")).singleElement().satisfies(timing -> {
            assertThat(timing.getAttribute("schemeIdUri")).isEqualTo("urn:mpeg:dash:utc:http-iso:2014");
            assertThat(timing.getAttribute("value")).isEqualTo("/api/time");
        });
    }

    @Test
    void videoAndAudioAreSeparateAdaptationSetsWithTheirCodecsAndTimelines() throws Exception {
        Element mpd = parse(live(VIDEO, AUDIO).xml()).getDocumentElement();

        List<Element> sets = elements(mpd, "AdaptationSet");
        assertThat(sets).extracting(set -> set.getAttribute("contentType")).containsExactly("video", "audio");
        assertThat(sets).extracting(set -> set.getAttribute("mimeType")).containsExactly("video/mp4", "audio/mp4");
        Element video = elements(sets.get(0), "Representation").getFirst();
        assertThat(video.getAttribute("codecs")).isEqualTo("avc1.64001e");
        assertThat(video.getAttribute("width")).isEqualTo("640");
        assertThat(video.getAttribute("height")).isEqualTo("360");
        assertThat(video.getAttribute("frameRate")).isEqualTo("25");
        assertThat(video.getAttribute("bandwidth")).isEqualTo("800000");
        Element videoTemplate = elements(video, "SegmentTemplate").getFirst();
        assertThat(videoTemplate.getAttribute("timescale")).isEqualTo("90000");
        assertThat(videoTemplate.getAttribute("initialization")).isEqualTo("cam-init.m4v");
        assertThat(videoTemplate.getAttribute("media")).isEqualTo("cam-$Time$.m4v");
        assertThat(elements(videoTemplate, "S")).extracting(s -> s.getAttribute("t") + "+" + s.getAttribute("d"))
            .containsExactly("0+180000", "180000+183600");

        Element audio = elements(sets.get(1), "Representation").getFirst();
        assertThat(audio.getAttribute("codecs")).isEqualTo("mp4a.40.2");
        assertThat(audio.getAttribute("audioSamplingRate")).isEqualTo("44100");
        assertThat(elements(audio, "AudioChannelConfiguration").getFirst().getAttribute("value")).isEqualTo("2");
        Element audioTemplate = elements(audio, "SegmentTemplate").getFirst();
        assertThat(audioTemplate.getAttribute("timescale")).isEqualTo("44100");
        assertThat(audioTemplate.getAttribute("initialization")).isEqualTo("cam-init.m4a");
        assertThat(elements(audioTemplate, "S")).extracting(s -> s.getAttribute("t") + "+" + s.getAttribute("d"))
            .containsExactly("0+88064", "88064+90112");
    }

    @Test
    void anHevcStreamIsAnnouncedWithItsHvc1CodecsString() throws Exception {
        Mpd.Track hevc = Mpd.Track.video("video", "hvc1.1.6.L93.B0", 500_000, 640, 360, "30000/1001", "init.m4v",
            "$Time$.m4v", List.of(new Mpd.Segment(0, 90_000)));
        Element video = elements(parse(live(hevc, null).xml()).getDocumentElement(), "Representation").getFirst();

        assertThat(video.getAttribute("codecs")).isEqualTo("hvc1.1.6.L93.B0");
        assertThat(video.getAttribute("frameRate")).isEqualTo("30000/1001");
    }

    @Test
    void eachVideoRenditionIsARepresentationOfTheVideoAdaptationSet() throws Exception {
        Mpd.Track small = Mpd.Track.video("video1", "avc1.64000d", 200_000, 320, 180, "25", "cam-v1-init.m4v",
            "cam-v1-$Time$.m4v", List.of(new Mpd.Segment(0, 180_000)));
        Element mpd = parse(new Mpd(START, NOW, Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(30),
            Duration.ofSeconds(4), List.of(VIDEO, small), AUDIO, TIMING, null).xml()).getDocumentElement();

        Element video = elements(mpd, "AdaptationSet").getFirst();
        assertThat(elements(video, "Representation")).extracting(r -> r.getAttribute("id") + " "
                + r.getAttribute("width") + "x" + r.getAttribute("height"))
            .containsExactly("video 640x360", "video1 320x180");
        assertThat(elements(elements(video, "Representation").get(1), "SegmentTemplate").getFirst()
            .getAttribute("media")).isEqualTo("cam-v1-$Time$.m4v");
    }

    @Test
    void anAudioOnlyStreamHasOnlyTheAudioAdaptationSet() throws Exception {
        Element mpd = parse(live(null, AUDIO).xml()).getDocumentElement();

        assertThat(elements(mpd, "AdaptationSet")).extracting(set -> set.getAttribute("contentType"))
            .containsExactly("audio");
    }

    @Test
    void anEndedManifestStatesItsDurationAndNoLongerAsksForUpdates() throws Exception {
        Mpd ended = new Mpd(START, NOW, Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(30),
            Duration.ofSeconds(4), List.of(VIDEO), AUDIO, TIMING, Duration.ofMillis(4040));
        Element mpd = parse(ended.xml()).getDocumentElement();

        assertThat(mpd.getAttribute("mediaPresentationDuration")).isEqualTo("PT4.040S");
        assertThat(mpd.hasAttribute("minimumUpdatePeriod")).isFalse();
    }

    @Test
    void attributeValuesAreEscaped() throws Exception {
        Mpd mpd = new Mpd(START, NOW, Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(30),
            Duration.ofSeconds(4), List.of(VIDEO), null,
            new Mpd.UtcTiming("urn:mpeg:dash:utc:http-head:2014", "http://t/?a=1&b=\"2\""), null);

        assertThat(elements(parse(mpd.xml()).getDocumentElement(), "UTCTiming").getFirst().getAttribute("value"))
            .isEqualTo("http://t/?a=1&b=\"2\"");
    }
}
