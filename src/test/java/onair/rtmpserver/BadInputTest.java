package onair.rtmpserver;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import onair.rtmp.message.CommandMessage;
import onair.testing.LogCapture;
import onair.testing.RtmpTestClient;
import onair.testing.SyntheticPublisher;
import onair.testing.TestPlayer;
import onair.testing.TestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hostile or broken input closes only the connection that sent it, with one log line naming it and the reason,
 * while a player of another stream keeps receiving every frame.
 */
class BadInputTest {

    /** One kind of bad input: how to send it, and a word the close reason must contain. */
    record Case(String name, Attack attack, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    interface Attack {
        /** Sends the bad input and returns the client's local port (how the server's log names the connection). */
        int run(InetSocketAddress server) throws Exception;
    }

    static Stream<Case> cases() {
        return Stream.of(
            new Case("random bytes after the handshake", server -> rtmp(server, client -> {
                byte[] noise = new byte[64 << 10];
                new Random(42).nextBytes(noise);
                client.sendRaw(Unpooled.wrappedBuffer(noise));
            }), "error"),
            new Case("a wrong version byte", server -> raw(server, version(6)), "version"),
            new Case("a message larger than max_message", server -> rtmp(server, client -> {
                client.sendRaw(Unpooled.wrappedBuffer(new byte[] {0x03, 0, 0, 0, 0x20, 0, 0, 0x14, 0, 0, 0, 0}));
            }), "max_message"),
            new Case("malformed AMF in a command", server -> rtmp(server, client -> {
                ByteBuf command = Unpooled.wrappedBuffer(new byte[] {0x03, 0, 0, 0, 0, 0, 5, 0x14, 0, 0, 0, 0,
                    0x02, 0x00, 0x10, 'c', 'o'});
                client.sendRaw(command);
            }), "error"),
            new Case("publish on a stream that was never created", server -> rtmp(server, client -> {
                client.connect("live");
                client.send(new CommandMessage(7, 0, "publish", 0, null, List.of("other", "live")));
            }), "not created"),
            new Case("a data message AMF0 cannot carry", server -> rtmp(server, client -> {
                client.connect("live");
                client.publish(client.createStream(), "other");
                client.sendRaw(Unpooled.wrappedBuffer(new byte[] {0x05, 0, 0, 0, 0, 0, 15, 0x0f, 1, 0, 0, 0,
                    0x00, 0x02, 0, 5, 'o', 'n', 'C', 'u', 'e', 0x11, 0x0c, 0x07, 'a', 'b', 'c'}));
            }), "cannot be relayed"),
            new Case("more NetStreams than max_streams", server -> rtmp(server, client -> {
                client.connect("live");
                for (int i = 0; i < 32; i++) {
                    client.createStream();
                }
                client.send(new CommandMessage(0, 0, "createStream", 99, null, List.of()));
            }), "more than 32 NetStreams"),
            new Case("a chunk size of zero", server -> rtmp(server, client -> {
                client.connect("live");
                client.sendRaw(Unpooled.wrappedBuffer(new byte[] {0x02, 0, 0, 0, 0, 0, 4, 0x01, 0, 0, 0, 0, 0, 0, 0, 0}));
            }), "chunk size"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void closesOnlyTheOffendingConnectionWithOneLogLine(Case bad) throws Exception {
        try (LogCapture log = new LogCapture(RtmpSession.class);
             TestServer server = TestServer.start();
             SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "main", 10, 500);
             TestPlayer player = TestPlayer.play(server.address(), "live", "main")) {
            publisher.send(20);
            player.readUntilVideo(19, Duration.ofSeconds(5));

            int port = bad.attack().run(server.address());
            String label = "127.0.0.1:" + port + "]";
            await().atMost(Duration.ofSeconds(10)).until(() -> !log.lines(label + " closed").isEmpty());
            publisher.send(20);
            player.readUntilVideo(39, Duration.ofSeconds(5));

            assertThat(log.lines(label + " closed")).singleElement().asString().contains(bad.reason());
            assertThat(player.videoSequences()).containsExactlyElementsOf(IntStream.range(0, 40).boxed().toList());
            assertThat(player.client().channel().isActive()).isTrue();
        }
    }

    interface Script {
        void run(RtmpTestClient client) throws Exception;
    }

    private static int rtmp(InetSocketAddress server, Script script) throws Exception {
        try (RtmpTestClient client = RtmpTestClient.open(server)) {
            int port = ((InetSocketAddress) client.channel().localAddress()).getPort();
            script.run(client);
            assertThat(client.awaitClosed(Duration.ofSeconds(10))).as("server closed the connection").isTrue();
            return port;
        }
    }

    private static byte[] version(int version) {
        byte[] c0c1 = new byte[1537];
        c0c1[0] = (byte) version;
        return c0c1;
    }

    private static int raw(InetSocketAddress server, byte[] bytes) throws Exception {
        try (Socket socket = new Socket(server.getAddress(), server.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            assertThat(socket.getInputStream().read()).as("server closed the connection").isEqualTo(-1);
            return socket.getLocalPort();
        }
    }
}
