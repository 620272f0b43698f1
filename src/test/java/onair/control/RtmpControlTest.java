package onair.control;

import onair.rtmpserver.RtmpSession;
import onair.stats.Reply;
import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.testing.LogCapture;
import onair.testing.SyntheticPublisher;
import onair.testing.TestPlayer;
import onair.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** nginx-rtmp's control endpoints, observed by real RTMP publishers and players. */
class RtmpControlTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private TestServer server;
    private RtmpControl control;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start();
        control = new RtmpControl(server.server()::config, server.server().registry());
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
        server.close();
    }

    private SyntheticPublisher publish(String name, int frames) throws Exception {
        SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", name, 10, 100);
        open.add(publisher);
        publisher.send(frames);
        publisher.sync();
        return publisher;
    }

    private TestPlayer play(String name) throws Exception {
        TestPlayer player = TestPlayer.play(server.address(), "live", name);
        open.add(player);
        return player;
    }

    private LiveStream stream(String name) {
        return server.server().registry().find(new StreamKey("live", name)).orElseThrow();
    }

    private Reply get(String path, String... keyValues) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            query.put(keyValues[i], List.of(keyValues[i + 1]));
        }
        return control.handle(path, query, EnumSet.allOf(RtmpControl.Section.class));
    }

    @Test
    void droppingThePublisherEndsTheStreamForItsPlayers() throws Exception {
        SyntheticPublisher publisher = publish("cam", 10);
        TestPlayer player = play("cam");
        try (LogCapture log = new LogCapture(RtmpSession.class)) {
            Reply reply = get("/control/drop/publisher", "app", "live", "name", "cam");
            assertThat(reply).isEqualTo(new Reply(200, "text/plain", "1"));
            assertThat(publisher.client().awaitClosed(WAIT)).isTrue();
            player.readUntilEvent("STREAM_EOF", WAIT);
            assertThat(player.events()).contains("STREAM_EOF");
            assertThat(player.client().channel().isActive()).isTrue();
            await().until(() -> !log.lines("dropped by control").isEmpty());
            assertThat(log.lines("dropped by control")).hasSize(1);
        }
    }

    @Test
    void droppingOneSubscriberByClientIdLeavesTheOthersPlaying() throws Exception {
        SyntheticPublisher publisher = publish("cam", 10);
        TestPlayer dropped = play("cam");
        TestPlayer kept = play("cam");
        LiveStream cam = stream("cam");
        await().until(() -> cam.subscriberCount() == 2);
        long firstId = cam.subscribers().getFirst().client().id();
        Reply reply = get("/control/drop/subscriber", "app", "live", "name", "cam", "clientid", Long.toString(firstId));
        assertThat(reply.body()).isEqualTo("1");
        assertThat(dropped.client().awaitClosed(WAIT)).isTrue();
        publisher.send(10);
        kept.readUntilVideo(19, WAIT);
        assertThat(kept.videoSequences()).contains(19);
        assertThat(publisher.client().channel().isActive()).isTrue();
    }

    @Test
    void dropFiltersByAddressAndCountsClientsOnce() throws Exception {
        publish("cam", 5);
        play("cam");
        play("cam");
        await().until(() -> stream("cam").subscriberCount() == 2);
        assertThat(get("/control/drop/client", "addr", "10.9.9.9").body()).isEqualTo("0");
        assertThat(get("/control/drop/subscriber", "name", "other").body()).isEqualTo("0");
        assertThat(get("/control/drop/client", "app", "live", "addr", "127.0.0.1").body()).isEqualTo("3");
        await().until(() -> server.server().clients().openCount() == 0);
    }

    @Test
    void redirectingASubscriberPlaysItTheNewStream() throws Exception {
        publish("cam", 10);
        SyntheticPublisher other = publish("other", 120);
        TestPlayer player = play("cam");
        player.readUntilVideo(9, WAIT);
        Reply reply = get("/control/redirect/subscriber", "app", "live", "name", "cam", "newname", "other");
        assertThat(reply.body()).isEqualTo("1");
        await().until(() -> stream("other").subscriberCount() == 1);
        assertThat(stream("cam").subscriberCount()).isZero();
        other.send(10);
        player.readUntilVideo(129, WAIT);
        assertThat(player.videoSequences()).contains(129);
        assertThat(player.events()).filteredOn("NetStream.Play.Start"::equals).hasSize(2);
    }

    @Test
    void redirectingThePublisherRepublishesItUnderTheNewName() throws Exception {
        SyntheticPublisher publisher = publish("cam", 10);
        TestPlayer waiting = play("moved");
        Reply reply = get("/control/redirect/publisher", "app", "live", "name", "cam", "newname", "moved");
        assertThat(reply.body()).isEqualTo("1");
        await().until(() -> stream("moved").isLive());
        assertThat(server.server().registry().find(new StreamKey("live", "cam")).map(LiveStream::isLive))
            .isNotEqualTo(Optional.of(true));
        publisher.send(20);
        waiting.readUntilVideo(29, WAIT);
        assertThat(waiting.videoSequences()).contains(29);
    }

    @ParameterizedTest(name = "{0}?{1} → {2} {3}")
    @CsvSource(delimiter = '|', value = {
        "/control/nope/publisher|                    |404|Not Found",
        "/control/drop/nope     |                    |500|Undefined filter",
        "/control/drop/client   |srv=1               |500|Server index out of range",
        "/control/drop/client   |srv=x               |500|Server index out of range",
        "/control/redirect/client|name=cam            |500|newname not specified",
        "/control/redirect/client|name=nobody         |200|0",
        "/control/record/start  |name=cam            |500|Recorder not found",
        "/control/record/stop   |name=nobody         |204|''",
        "/control/record/pause  |                    |500|Recorder not found",
        "drop                   |                    |404|Not Found",
    })
    void errorsAnswerAsNginxRtmp(String path, String query, int status, String body) throws Exception {
        publish("cam", 3);
        String[] pair = query == null ? new String[0] : query.split("=");
        Reply reply = get(path, pair);
        assertThat(reply.status()).isEqualTo(status);
        assertThat(reply.body()).isEqualTo(body);
    }

    @Test
    void aSectionTheLocationDoesNotAllowIsNotFound() throws Exception {
        publish("cam", 3);
        Reply reply = control.handle("/control/drop/publisher", Map.of(), EnumSet.of(RtmpControl.Section.RECORD));
        assertThat(reply.status()).isEqualTo(404);
        assertThat(stream("cam").isLive()).isTrue();
        assertThat(RtmpControl.Section.parse(List.of("all"))).isEqualTo(EnumSet.allOf(RtmpControl.Section.class));
    }
}
