package onair.stats;

import onair.config.ServerConfig;
import onair.media.MediaFrame;
import onair.exec.ExecCounters;
import onair.relay.RelaySnapshot;
import onair.stream.Clients;
import onair.stream.LiveOptions;
import onair.stream.StreamKey;
import onair.stream.StreamRegistry;
import onair.stream.Subscriber;
import onair.stream.Subscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StatXmlTest {

    private static final Subscriber INTERNAL = new Subscriber() {
        @Override
        public void onFrame(MediaFrame frame) {
            frame.release();
        }

        @Override
        public void onPublishStart() {
        }

        @Override
        public void onPublishStop() {
        }
    };

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "plain|plain",
        "a<b>&\"c\"|a&lt;b&gt;&amp;&quot;c&quot;",
        "`bell\u0007tab\t`|`belltab\t`",
    })
    void textIsEscapedAndCharactersXmlCannotCarryAreLeftOut(String text, String escaped) {
        assertThat(StatXml.escape(text)).isEqualTo(escaped);
    }

    @Test
    void aStreamWithoutPublisherHasNoMetaAndInternalSubscribersAreNoClients() {
        ServerConfig config = ServerConfig.parse("rtmp { server { listen 1; application live { live on; } "
            + "application other { live on; } } }", "t.conf");
        StreamRegistry registry = new StreamRegistry();
        try (Subscription ignored = registry.stream(new StreamKey("live", "wait<ing>"), LiveOptions.defaults())
            .subscribe(INTERNAL)) {
            String xml = StatXml.render(StatSnapshot.take(config, registry, new Clients(),
                new StatSnapshot.Exec(new ExecCounters(0, 0, 0, Map.of()), List.of())),
                EnumSet.allOf(StatSection.class), "/s.xsl?a=1&b=2");
            assertThat(xml).contains("<?xml-stylesheet type=\"text/xsl\" href=\"/s.xsl?a=1&amp;b=2\" ?>\r\n",
                "<stream>\r\n<name>wait&lt;ing&gt;</name>\r\n<time>",
                "<bw_video>0</bw_video>\r\n<nclients>0</nclients>\r\n</stream>\r\n<nclients>0</nclients>\r\n</live>",
                "<application>\r\n<name>other</name>\r\n<live>\r\n<nclients>0</nclients>\r\n</live>");
            assertThat(xml).doesNotContain("<meta>", "<client>", "<publishing/>");
        }
    }

    @Test
    void aStreamsRelaysFollowItsClientsWithTheirState() {
        ServerConfig config = ServerConfig.parse("rtmp { server { listen 1; application live { live on; } } }", "t.conf");
        StreamRegistry registry = new StreamRegistry();
        StreamKey key = new StreamKey("live", "key");
        List<RelaySnapshot> relays = List.of(
            new RelaySnapshot("push", "rtmps://live.example:443/app/***", "backing off", "cannot connect: <refused>",
                0, 3, 7),
            new RelaySnapshot("push", "rtmp://10.0.0.2:1935/live/***", "live", null, 52000, 0, 0));
        try (Subscription ignored = registry.stream(key, LiveOptions.defaults()).subscribe(INTERNAL)) {
            String xml = StatXml.render(StatSnapshot.take(config, registry, new Clients(),
                new StatSnapshot.Exec(new ExecCounters(0, 0, 0, Map.of()), List.of()),
                streamKey -> streamKey.equals(key) ? relays : List.of()), EnumSet.allOf(StatSection.class), null);
            assertThat(xml).contains("<bw_video>0</bw_video>\r\n"
                + "<relay><direction>push</direction><url>rtmps://live.example:443/app/***</url>"
                + "<state>backing off</state><last_error>cannot connect: &lt;refused&gt;</last_error><bytes>0</bytes>"
                + "<dropped>3</dropped><reconnects>7</reconnects></relay>\r\n"
                + "<relay><direction>push</direction><url>rtmp://10.0.0.2:1935/live/***</url><state>live</state>"
                + "<bytes>52000</bytes><dropped>0</dropped><reconnects>0</reconnects></relay>\r\n"
                + "<nclients>0</nclients>\r\n</stream>");
        }
    }
}
