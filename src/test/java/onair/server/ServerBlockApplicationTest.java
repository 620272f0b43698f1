package onair.server;

import onair.testing.SyntheticPublisher;
import onair.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two rtmp server blocks may each define an application of the same name; a stream's outputs and viewers follow the
 * block its publisher connected to, not the first block that has the name.
 */
class ServerBlockApplicationTest {

    @Test
    void hlsOfAStreamFollowsThePublishersServerBlock(@TempDir Path dir) throws Exception {
        Path first = dir.resolve("first");
        Path second = dir.resolve("second");
        try (TestServer server = TestServer.start("rtmp { server { listen 127.0.0.1:0; application live { live on; "
                + "hls on; hls_path " + first + "; hls_fragment 1s; hls_segment_type fmp4; } } "
                + "server { listen 127.0.0.1:0; application live { live on; hls on; hls_path " + second + "; "
                + "hls_fragment 1s; hls_segment_type fmp4; } } }");
             SyntheticPublisher publisher = new SyntheticPublisher(server.address(1), "live", "key", 25, 64)) {
            publisher.send(150);
            publisher.sync();

            await().until(() -> Files.exists(second.resolve("key.m3u8")) || Files.exists(first.resolve("key.m3u8")));
            assertThat(first.resolve("key.m3u8")).doesNotExist();
        }
    }

    @Test
    void anHttpFlvViewerIsRefusedByThePublishersServerBlockRules() throws Exception {
        try (TestServer server = TestServer.start("rtmp { server { listen 127.0.0.1:0; application live { live on; } } "
                + "server { listen 127.0.0.1:0; application live { live on; deny play all; } } } "
                + "http { server { listen 127.0.0.1:0; location /live { flv_live on; } } }");
             SyntheticPublisher publisher = new SyntheticPublisher(server.address(1), "live", "key", 25, 64)) {
            publisher.send(10);
            publisher.sync();
            HttpResponse<InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + server.server().httpAddresses().getFirst().getPort() + "/live/key.flv")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
            response.body().close();

            assertThat(response.statusCode()).isEqualTo(403);
        }
    }
}
