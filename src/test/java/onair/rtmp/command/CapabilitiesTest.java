package onair.rtmp.command;

import onair.amf.EcmaArray;
import onair.rtmp.message.CommandMessage;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The Enhanced RTMP v2 capabilities of a connect command object, as a client sends them. */
class CapabilitiesTest {

    private static Connect connect(Map<String, Object> extra) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("app", "live");
        properties.putAll(extra);
        return (Connect) Command.parse(new CommandMessage(0, 0, "connect", 1, properties, List.of()));
    }

    @Test
    void aLegacyConnectAnnouncesNothing() {
        assertThat(connect(Map.of()).capabilities()).isEqualTo(Capabilities.NONE);
        assertThat(Capabilities.NONE.announced()).isFalse();
    }

    @Test
    void theFourPropertiesAreRead() {
        Map<String, Object> video = new LinkedHashMap<>();
        video.put("*", 4.0);
        video.put("vp09", 3.0);
        Capabilities capabilities = connect(Map.of("fourCcList", List.of("av01", "Opus", "*"),
            "videoFourCcInfoMap", video, "audioFourCcInfoMap", Map.of("Opus", 7.0), "capsEx", 3.0)).capabilities();

        assertThat(capabilities).isEqualTo(new Capabilities(true, List.of("av01", "Opus", "*"),
            Map.of("*", 4, "vp09", 3), Map.of("Opus", 7), 3));
        assertThat(capabilities.has(Capabilities.RECONNECT)).isTrue();
        assertThat(capabilities.has(Capabilities.MULTITRACK)).isTrue();
        assertThat(capabilities.has(Capabilities.MOD_EX)).isFalse();
    }

    @Test
    void aCapsExOfZeroIsStillAnAnnouncement() {
        Capabilities capabilities = connect(Map.of("capsEx", 0.0)).capabilities();

        assertThat(capabilities.announced()).isTrue();
        assertThat(capabilities.has(Capabilities.MULTITRACK)).isFalse();
    }

    @Test
    void entriesThatAreNotFourCcsAreSkippedAndListsAreCut() {
        List<Object> list = IntStream.range(0, 1000).mapToObj(i -> (Object) String.format("%04d", i)).toList();
        Map<String, Object> entries = new LinkedHashMap<>();
        entries.put("avc1", "4");
        entries.put("toolong", 4.0);
        entries.put("", 4.0);
        entries.put("hvc1", 4.0);
        Capabilities capabilities = connect(Map.of("fourCcList", list, "videoFourCcInfoMap", new EcmaArray(entries),
            "audioFourCcInfoMap", List.of("x"), "capsEx", "7")).capabilities();

        assertThat(capabilities.fourCcList()).hasSize(Capabilities.MAX_ENTRIES).startsWith("0000", "0001");
        assertThat(capabilities.videoFourCcInfoMap()).containsExactly(Map.entry("hvc1", 4));
        assertThat(capabilities.audioFourCcInfoMap()).isEmpty();
        assertThat(capabilities.capsEx()).isZero();
        assertThat(connect(Map.of("fourCcList", List.of(1.0, "hvc1", "fLaC.")))
            .capabilities().fourCcList()).containsExactly("hvc1");
    }

    @Test
    void aForwarderAnswersEveryFourCcOnairKnowsAsCanForward() {
        Capabilities onair = Capabilities.forwarder(Capabilities.MULTITRACK);

        assertThat(onair.fourCcList()).containsExactly("avc1", "hvc1", "av01", "vp09", "vp08", ".mp3", "mp4a",
            "Opus", "fLaC", "ac-3", "ec-3");
        assertThat(onair.videoFourCcInfoMap()).containsOnlyKeys("avc1", "hvc1", "av01", "vp09", "vp08");
        assertThat(onair.audioFourCcInfoMap()).containsOnlyKeys(".mp3", "mp4a", "Opus", "fLaC", "ac-3", "ec-3");
        assertThat(onair.videoFourCcInfoMap().values()).containsOnly(Capabilities.CAN_FORWARD);
        assertThat(onair.audioFourCcInfoMap().values()).containsOnly(Capabilities.CAN_FORWARD);
        assertThat(onair.capsEx()).isEqualTo(Capabilities.MULTITRACK);
    }
}
