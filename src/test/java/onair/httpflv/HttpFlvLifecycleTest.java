package onair.httpflv;

import onair.stream.StreamKey;
import onair.testing.CallbackBackend;
import onair.testing.CallbackBackend.Call;
import onair.testing.CallbackBackend.Reply;
import onair.testing.SyntheticPublisher;
import onair.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * HTTP-FLV and WebSocket-FLV plays go through the same lifecycle listeners as RTMP plays: {@code on_play} and
 * {@code on_play_done} with nginx-http-flv-module's arguments, and the application's {@code allow/deny play}.
 */
class HttpFlvLifecycleTest {

    private static final List<String> PLAY_ARGS = List.of("app", "flashver", "swfurl", "tcurl", "pageurl", "addr",
        "clientid", "call", "name", "start", "duration", "reset", "token");

    private static TestServer start(String application) throws Exception {
        return TestServer.start("rtmp { netcall_timeout 2s; server { listen 127.0.0.1:0; application live { live on; "
            + application + " } } } http { server { listen 127.0.0.1:0; location /live { flv_live on; } } }");
    }

    private static InetSocketAddress http(TestServer server) {
        return server.server().httpAddresses().getFirst();
    }

    /** Sends a GET for {@code path} and returns the socket with the response head read. */
    private static Socket get(InetSocketAddress http, String path, StringBuilder head) throws IOException {
        Socket socket = new Socket(http.getAddress(), http.getPort());
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        while (head.indexOf("\r\n\r\n") < 0) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed in the head: " + head);
            }
            head.append((char) b);
        }
        return socket;
    }

    /** The first three bytes of a chunked body: its first chunk's size line, then the data. */
    private static String firstBytes(InputStream in) throws IOException {
        for (int c = in.read(); c != '\n'; c = in.read()) {
            assertThat(c).isNotNegative();
        }
        return new String(in.readNBytes(3), StandardCharsets.US_ASCII);
    }

    private static int viewers(TestServer server) {
        return server.server().registry().find(new StreamKey("live", "key"))
            .map(stream -> stream.subscriberCount()).orElse(0);
    }

    @Test
    void anHttpFlvPlaySendsOnPlayWithNginxHttpFlvArgumentsThenOnPlayDoneWithItsBytes() throws Exception {
        try (CallbackBackend backend = CallbackBackend.start();
             TestServer server = start("on_play " + backend.url("/play") + "; on_play_done "
                 + backend.url("/done") + ";");
             SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "key", 5, 100)) {
            publisher.send(10);
            publisher.sync();
            StringBuilder head = new StringBuilder();
            String clientId;
            try (Socket socket = get(http(server), "/live/key.flv?token=abc", head)) {
                Call play = backend.await("play");
                clientId = play.arg("clientid");
                assertThat(head.toString()).startsWith("HTTP/1.1 200 OK");
                assertThat(play.names()).containsExactlyElementsOf(PLAY_ARGS);
                assertThat(play.map()).containsEntry("app", "live").containsEntry("flashver", "flv_live 1.1")
                    .containsEntry("tcurl", "http://t/live").containsEntry("addr", "127.0.0.1")
                    .containsEntry("name", "key").containsEntry("start", "0").containsEntry("duration", "0")
                    .containsEntry("reset", "0").containsEntry("token", "abc");
                assertThat(firstBytes(socket.getInputStream())).isEqualTo("FLV");
            }
            Call done = backend.await("play_done");
            assertThat(done.map()).containsEntry("name", "key").containsEntry("token", "abc")
                .containsEntry("clientid", clientId);
            assertThat(Long.parseLong(done.arg("bytes_out"))).isPositive();
        }
    }

    @Test
    void anHttpFlvPlayRefusedByOnPlayIsA403AndNeverSubscribes() throws Exception {
        try (CallbackBackend backend = CallbackBackend.start().answer(call -> Reply.status(403));
             TestServer server = start("on_play " + backend.url("/play") + ";");
             SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "key", 5, 100)) {
            publisher.send(10);
            publisher.sync();
            StringBuilder head = new StringBuilder();
            try (Socket ignored = get(http(server), "/live/key.flv", head)) {
                assertThat(head.toString()).startsWith("HTTP/1.1 403 Forbidden");
                assertThat(viewers(server)).isZero();
            }
        }
    }

    @Test
    void denyPlayRefusesHttpFlvAndWebSocketFlvViewers() throws Exception {
        try (TestServer server = start("deny play 127.0.0.1;");
             SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "key", 5, 100)) {
            publisher.send(10);
            publisher.sync();
            StringBuilder head = new StringBuilder();
            try (Socket ignored = get(http(server), "/live/key.flv", head)) {
                assertThat(head.toString()).startsWith("HTTP/1.1 403 Forbidden");
            }
            CompletableFuture<WebSocket> webSocket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + http(server).getPort() + "/live/key.flv"),
                    new WebSocket.Listener() { });
            assertThatThrownBy(() -> webSocket.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode())
                    .isEqualTo(403));
            assertThat(viewers(server)).isZero();
        }
    }

    @Test
    void aWebSocketFlvPlaySendsOnPlayAndOnPlayDone() throws Exception {
        try (CallbackBackend backend = CallbackBackend.start();
             TestServer server = start("on_play " + backend.url("/play") + "; on_play_done "
                 + backend.url("/done") + ";");
             SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "key", 5, 100)) {
            publisher.send(10);
            publisher.sync();
            CompletableFuture<Void> received = new CompletableFuture<>();
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + http(server).getPort() + "/live/key.flv?token=ws"),
                    new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                            received.complete(null);
                            webSocket.request(1);
                            return null;
                        }
                    }).get(5, TimeUnit.SECONDS);
            received.get(5, TimeUnit.SECONDS);
            Call play = backend.await("play");
            assertThat(play.map()).containsEntry("name", "key").containsEntry("token", "ws")
                .containsEntry("flashver", "flv_live 1.1");
            socket.abort();

            Call done = backend.await("play_done");
            assertThat(done.map()).containsEntry("name", "key").containsEntry("clientid", play.arg("clientid"));
            assertThat(Long.parseLong(done.arg("bytes_out"))).isPositive();
        }
    }

    @Test
    void anOnPlayRedirectToANamePlaysThatStream() throws Exception {
        try (CallbackBackend backend = CallbackBackend.start().answer(call -> Reply.redirect("renamed"));
             TestServer server = start("on_play " + backend.url("/play") + ";");
             SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "renamed", 5, 100)) {
            publisher.send(10);
            publisher.sync();
            StringBuilder head = new StringBuilder();
            try (Socket ignored = get(http(server), "/live/key.flv", head)) {
                assertThat(head.toString()).startsWith("HTTP/1.1 200 OK");
                await().untilAsserted(() -> assertThat(server.server().registry()
                    .find(new StreamKey("live", "renamed")).orElseThrow().subscriberCount()).isEqualTo(1));
                assertThat(server.server().registry().find(new StreamKey("live", "key"))).isEmpty();
            }
        }
    }
}
