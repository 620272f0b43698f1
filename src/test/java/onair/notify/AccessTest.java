package onair.notify;

import onair.rtmpserver.RtmpSession;
import onair.rtmp.message.CommandMessage;
import onair.testing.LogCapture;
import onair.testing.RtmpTestClient;
import onair.testing.SyntheticPublisher;
import onair.testing.TestPlayer;
import onair.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code allow}/{@code deny} and application {@code max_connections} as clients observe them: a refused client gets an
 * error status and is closed, everyone else goes on. Clients come from different loopback addresses (127.0.0.x).
 */
class AccessTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private static String config(String application) {
        return "rtmp { server { listen 127.0.0.1:0; application live { live on; " + application + " } } }";
    }

    /** The first onStatus code a client from {@code from} gets for {@code action} of stream "key". */
    private static String attempt(TestServer server, String from, String action) throws Exception {
        try (RtmpTestClient client = RtmpTestClient.openFrom(server.address(), from)) {
            client.connect("live");
            int stream = client.createStream();
            String code;
            if (action.equals("publish")) {
                code = RtmpTestClient.code(client.publish(stream, "key"));
            } else {
                client.play(stream, "key");
                code = RtmpTestClient.code(client.awaitCommand(c -> c.name().equals("onStatus")
                    && !RtmpTestClient.code(c).equals("NetStream.Play.Reset")));
            }
            if (code.endsWith("BadName") || code.endsWith("Failed")) {
                assertThat(client.awaitClosed(WAIT)).as("closed after " + code).isTrue();
            }
            return code;
        }
    }

    @ParameterizedTest(name = "{0} | {2} from {1} → {3}")
    @CsvSource(delimiter = '|', textBlock = """
            allow publish 127.0.0.1; deny publish all;   | 127.0.0.2 | publish | NetStream.Publish.BadName
            allow publish 127.0.0.1; deny publish all;   | 127.0.0.1 | publish | NetStream.Publish.Start
            allow publish 127.0.0.1; deny publish all;   | 127.0.0.2 | play    | NetStream.Play.Start
            deny play 127.0.0.0/24;                      | 127.0.0.9 | play    | NetStream.Play.Failed
            deny play 127.0.0.0/24;                      | 127.0.1.9 | play    | NetStream.Play.Start
            allow play 127.0.0.4; deny play all;         | 127.0.0.4 | play    | NetStream.Play.Start
            deny all; allow play 127.0.0.4;              | 127.0.0.4 | play    | NetStream.Play.Failed
            deny all;                                    | 127.0.0.4 | publish | NetStream.Publish.BadName
            deny publish ::1;                            | 127.0.0.1 | publish | NetStream.Publish.Start
            """)
    void rulesDecidePublishAndPlayInOrder(String rules, String from, String action, String code) throws Exception {
        try (TestServer server = TestServer.start(config(rules))) {
            assertThat(attempt(server, from, action)).isEqualTo(code);
        }
    }

    @Test
    void deniedClientsAreClosedWithOneLineWhileAnExistingStreamFlowsOnToItsPlayer() throws Exception {
        try (TestServer server = TestServer.start(config("deny publish 127.0.0.2; deny play 127.0.0.3;"));
             SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "key", 5, 100);
             TestPlayer player = TestPlayer.play(server.address(), "live", "key");
             LogCapture log = new LogCapture(RtmpSession.class)) {
            publisher.send(5);
            player.readUntilVideo(4, WAIT);

            assertThat(attempt(server, "127.0.0.2", "publish")).isEqualTo("NetStream.Publish.BadName");
            assertThat(attempt(server, "127.0.0.3", "play")).isEqualTo("NetStream.Play.Failed");
            publisher.send(5);
            player.readUntilVideo(9, WAIT);

            assertThat(player.videoSequences()).containsExactlyElementsOf(IntStream.range(0, 10).boxed().toList());
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(log.lines("closed: publish denied by access rules for 127.0.0.2")).hasSize(1);
                assertThat(log.lines("closed: play denied by access rules for 127.0.0.3")).hasSize(1);
            });
        }
    }

    @Test
    void anApplicationMaxConnectionsRejectsTheConnectOverItUntilOneLeaves() throws Exception {
        try (TestServer server = TestServer.start(config("max_connections 1;"));
             RtmpTestClient first = RtmpTestClient.open(server.address())) {
            assertThat(first.connect("live").name()).isEqualTo("_result");
            try (RtmpTestClient second = RtmpTestClient.open(server.address())) {
                CommandMessage answer = second.connect("live");

                assertThat(answer.name()).isEqualTo("_error");
                assertThat(RtmpTestClient.code(answer)).isEqualTo("NetConnection.Connect.Rejected");
                assertThat(second.awaitClosed(WAIT)).isTrue();
            }
            first.close();
            await().atMost(WAIT).until(() -> server.server().openConnections() == 0);
            try (RtmpTestClient third = RtmpTestClient.open(server.address())) {
                assertThat(third.connect("live").name()).isEqualTo("_result");
            }
        }
    }
}
