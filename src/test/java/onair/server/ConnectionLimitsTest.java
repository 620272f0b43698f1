package onair.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import onair.testing.LogCapture;
import onair.testing.SyntheticPublisher;
import onair.testing.TestPlayer;
import onair.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * {@code max_connections} and {@code max_connections_per_address}: a connection over a limit is closed at accept with
 * one log line, while the connections already open keep streaming.
 */
class ConnectionLimitsTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private static TestServer start(String directives) throws InterruptedException {
        return TestServer.start("rtmp { server { listen 127.0.0.1:0; " + directives
            + " application live { live on; } } }");
    }

    private static Socket open(InetSocketAddress server, String from) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        socket.connect(server);
        socket.setSoTimeout((int) WAIT.toMillis());
        return socket;
    }

    private static boolean answersTheHandshake(Socket socket) throws IOException {
        byte[] c0c1 = new byte[1 + 1536];
        c0c1[0] = 3;
        socket.getOutputStream().write(c0c1);
        return socket.getInputStream().read() == 3;
    }

    private static boolean refused(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            return in.read() < 0;
        } catch (SocketException reset) {
            return true;
        }
    }

    @Test
    void aConnectionOverMaxConnectionsIsClosedAtAcceptWhileTheOthersKeepStreaming() throws Exception {
        try (LogCapture log = new LogCapture(ConnectionLimits.class);
             TestServer server = start("max_connections 3;");
             SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "key", 25, 100);
             TestPlayer player = TestPlayer.play(server.address(), "live", "key");
             Socket third = open(server.address(), "127.0.0.1")) {
            assertThat(answersTheHandshake(third)).isTrue();
            try (Socket fourth = open(server.address(), "127.0.0.1")) {
                assertThat(refused(fourth)).isTrue();
                assertThat(log.lines("closed:")).singleElement().asString()
                    .isEqualTo("[refused " + fourth.getLocalSocketAddress() + "] closed: max_connections 3 reached");
            }
            assertStillStreaming(publisher, player);

            third.close();
            await().atMost(WAIT).until(() -> server.server().openConnections() == 2);
            try (Socket again = open(server.address(), "127.0.0.1")) {
                assertThat(answersTheHandshake(again)).isTrue();
            }
        }
    }

    @Test
    void aConnectionOverMaxConnectionsPerAddressIsClosedWhileOtherAddressesAreServed() throws Exception {
        try (LogCapture log = new LogCapture(ConnectionLimits.class);
             TestServer server = start("max_connections_per_address 2;");
             SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "key", 25, 100);
             TestPlayer player = TestPlayer.play(server.address(), "live", "key");
             Socket sameAddress = open(server.address(), "127.0.0.1");
             Socket otherAddress = open(server.address(), "127.0.0.2")) {
            assertThat(refused(sameAddress)).isTrue();
            assertThat(answersTheHandshake(otherAddress)).isTrue();
            assertThat(log.lines("closed:")).containsExactly("[refused " + sameAddress.getLocalSocketAddress()
                + "] closed: max_connections_per_address 2 reached for 127.0.0.1");
            assertStillStreaming(publisher, player);
        }
    }

    @Test
    void anHttpServerBlocksMaxConnectionsPerAddressClosesOneMoreFromThatAddressOnly() throws Exception {
        try (LogCapture log = new LogCapture(ConnectionLimits.class);
             TestServer server = TestServer.start("rtmp { server { listen 127.0.0.1:0; } }"
                 + " http { server { listen 127.0.0.1:0; max_connections_per_address 2; location / { } } }");
             Socket first = open(server.server().httpAddresses().getFirst(), "127.0.0.1");
             Socket second = open(server.server().httpAddresses().getFirst(), "127.0.0.1")) {
            assertThat(answersHttp(first)).as("the first connection is admitted").isTrue();
            assertThat(answersHttp(second)).as("the second connection is admitted").isTrue();
            try (Socket third = open(server.server().httpAddresses().getFirst(), "127.0.0.1");
                 Socket otherAddress = open(server.server().httpAddresses().getFirst(), "127.0.0.2")) {
                assertThat(refused(third)).isTrue();
                assertThat(answersHttp(otherAddress)).isTrue();
                assertThat(log.lines("closed:")).containsExactly("[refused " + third.getLocalSocketAddress()
                    + "] closed: max_connections_per_address 2 reached for 127.0.0.1");
            }
        }
    }

    @Test
    void withoutMaxConnectionsPerAddressOneAddressHoldsMoreThanTheOldFixedLimitsAsBehindANat() throws Exception {
        try (TestServer server = TestServer.start("rtmp { server { listen 127.0.0.1:0; application live { live on; } } }"
                 + " http { server { listen 127.0.0.1:0; location / { } } }")) {
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < 300; i++) {
                    sockets.add(open(server.address(), "127.0.0.1"));
                    sockets.add(open(server.server().httpAddresses().getFirst(), "127.0.0.1"));
                }
                assertThat(answersTheHandshake(sockets.get(sockets.size() - 2))).isTrue();
                assertThat(answersHttp(sockets.getLast())).isTrue();
            } finally {
                for (Socket socket : sockets) {
                    socket.close();
                }
            }
        }
    }

    private static boolean answersHttp(Socket socket) throws IOException {
        socket.getOutputStream().write("GET /api/streams HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] start = socket.getInputStream().readNBytes(12);
        return new String(start, StandardCharsets.US_ASCII).equals("HTTP/1.1 200");
    }

    private static void assertStillStreaming(SyntheticPublisher publisher, TestPlayer player)
        throws InterruptedException {
        int from = publisher.next();
        publisher.send(10);
        player.readUntilVideo(from + 9, WAIT);
        assertThat(player.videoSequences()).endsWith(IntStream.range(from, from + 10).boxed().toArray(Integer[]::new));
    }
}
