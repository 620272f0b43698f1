package onair.server;

import onair.config.ServerConfig;
import onair.hls.HlsSessions;
import onair.stream.Client;
import onair.testing.SyntheticPublisher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * HLS viewer sessions over real sockets: players fetching a live stream's playlist (one per address and User-Agent)
 * are counted as its HLS viewers by the stat, metrics and web page routes until they stop fetching; files that belong
 * to no live stream count nobody, and the session bounds hold.
 */
class HlsViewersTest {

    private static final String CONFIG = """
        rtmp { server { listen 127.0.0.1:0;
            application live { live on; hls on; hls_path %1$s/hls; hls_fragment 1s; hls_playlist_length 4s;
                hls_segment_type fmp4; }
        } }
        http { server { listen 127.0.0.1:0;
            location / { }
            location /hls { root %1$s; }
            location /stat { rtmp_stat all; }
            location /metrics { rtmp_metrics on; }
            location /control { rtmp_control all; }
        } }
        """;
    private static final Duration IDLE = Duration.ofSeconds(3);

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void playersFetchingThePlaylistAreHlsViewersUntilTheyStop(@TempDir Path dir) throws Exception {
        ServerConfig config = ServerConfig.parse(CONFIG.formatted(dir), "test.conf");
        try (MediaServer server = new MediaServer(config, new HlsSessions.Limits(IDLE, 3, 2)).start();
             SyntheticPublisher publisher = new SyntheticPublisher(server.rtmpAddresses().getFirst(), "live", "cam",
                 25, 64)) {
            publisher.send(150);
            publisher.sync();
            Path playlist = dir.resolve("hls/cam.m3u8");
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(playlist));
            InetSocketAddress address = server.httpAddresses().getFirst();
            String base = "http://127.0.0.1:" + address.getPort();
            String segment = Files.readAllLines(playlist).stream().filter(line -> line.endsWith(".m4s")).findFirst()
                .orElseThrow();
            Files.writeString(dir.resolve("hls/other.m3u8"), "#EXTM3U\n");

            assertThat(get(base + "/hls/" + segment, "segment-first").statusCode()).isEqualTo(200);
            assertThat(get(base + "/hls/nope.m3u8", "unknown").statusCode()).isEqualTo(404);
            assertThat(get(base + "/hls/other.m3u8", "other").statusCode()).isEqualTo(200);
            assertThat(hlsViewers(base)).as("segments alone and files of no live stream start no session").isZero();

            assertThat(get(base + "/hls/cam.m3u8", "player-a").statusCode()).isEqualTo(200);
            assertThat(get(base + "/hls/cam.m3u8", "player-a").statusCode()).isEqualTo(200);
            assertThat(get(base + "/hls/" + segment, "player-a").statusCode()).isEqualTo(200);
            assertThat(get(base + "/hls/cam.m3u8", "player-b").statusCode()).isEqualTo(200);
            assertThat(hlsViewers(base)).as("one session per User-Agent").isEqualTo(2);
            assertThat(get(base + "/metrics").body())
                .contains("onair_stream_viewers{app=\"live\",name=\"cam\",protocol=\"hls\"} 2");
            assertThat(get(base + "/api/streams").body()).contains("\"viewers\":2");
            assertThat(server.clients().open()).filteredOn(client -> client.protocol() == Client.Protocol.HLS)
                .hasSize(2).allSatisfy(client -> {
                    assertThat(client.name()).isEqualTo("cam");
                    assertThat(client.app()).isEqualTo("live");
                    assertThat(client.played()).isTrue();
                });

            assertThat(get(base + "/hls/cam.m3u8", "player-c").statusCode())
                .as("served beyond the per-address bound").isEqualTo(200);
            assertThat(hlsViewers(base)).as("but not counted").isEqualTo(2);
            assertThat(rawGet(address, "127.0.0.2", "/hls/cam.m3u8", "player-d")).isEqualTo(200);
            assertThat(rawGet(address, "127.0.0.2", "/hls/cam.m3u8", "player-e")).isEqualTo(200);
            assertThat(hlsViewers(base)).as("a second address, up to the total bound").isEqualTo(3);

            HttpResponse<String> drop = get(base + "/control/drop/subscriber?app=live&name=cam&addr=127.0.0.2");
            assertThat(drop.body()).as("drop forgets the session").isEqualTo("1");
            assertThat(hlsViewers(base)).isEqualTo(2);

            long until = System.nanoTime() + IDLE.multipliedBy(2).toNanos();
            while (System.nanoTime() < until) {
                assertThat(get(base + "/hls/" + segment, "player-a").statusCode()).isEqualTo(200);
                Thread.sleep(200);
            }
            assertThat(hlsViewers(base)).as("segments keep player-a's session alive, player-b's expired")
                .isEqualTo(1);

            await().atMost(IDLE.multipliedBy(3)).until(() -> hlsViewers(base) == 0);
            assertThat(get(base + "/metrics").body())
                .contains("onair_stream_viewers{app=\"live\",name=\"cam\",protocol=\"hls\"} 0");
            assertThat(server.clients().open()).noneMatch(client -> client.protocol() == Client.Protocol.HLS);
        }
    }

    private int hlsViewers(String base) throws Exception {
        String json = get(base + "/stat?format=json").body();
        int at = json.indexOf("\"hls\":");
        assertThat(at).as("stat JSON has hls viewers: " + json).isNotNegative();
        int end = at + 6;
        while (end < json.length() && Character.isDigit(json.charAt(end))) {
            end++;
        }
        return Integer.parseInt(json.substring(at + 6, end));
    }

    private HttpResponse<String> get(String url) throws Exception {
        return get(url, "onair-test");
    }

    private HttpResponse<String> get(String url, String userAgent) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("User-Agent", userAgent).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    /** The status of a GET sent from local address {@code from}. */
    private static int rawGet(InetSocketAddress server, String from, String path, String userAgent)
            throws IOException {
        try (Socket socket = new Socket(server.getAddress(), server.getPort(), InetAddress.getByName(from), 0)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: t\r\nUser-Agent: " + userAgent
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
            in.readAllBytes();
            return Integer.parseInt(status.substring(9, 12));
        }
    }
}
