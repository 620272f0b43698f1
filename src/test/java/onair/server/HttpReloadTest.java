package onair.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import onair.config.ServerConfig;
import onair.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

/** HTTP listeners follow a reload like RTMP ones: added, kept with new locations, removed. */
class HttpReloadTest {

    private static final String RTMP = "rtmp { server { listen 127.0.0.1:0; application live { live on; } } }\n";

    @TempDir
    Path dir;

    private static HttpResponse<String> get(InetSocketAddress http, String path) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.getPort() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void aReloadBindsKeepsAndClosesHttpListeners() throws Exception {
        Files.writeString(dir.resolve("a.txt"), "a");
        try (TestServer server = TestServer.start(RTMP)) {
            assertThat(server.server().httpAddresses()).isEmpty();

            server.server().reload(ServerConfig.parse(RTMP + "http { server { listen 127.0.0.1:0; location / { root "
                    + dir + "; } } }", "reload.conf"));
            InetSocketAddress http = server.server().httpAddresses().getFirst();
            assertThat(get(http, "/a.txt").body()).isEqualTo("a");

            server.server().reload(ServerConfig.parse(RTMP + "http { server { listen 127.0.0.1:0; location /files/ { alias "
                    + dir + "/; } } }", "reload.conf"));
            assertThat(server.server().httpAddresses()).containsExactly(http);
            assertThat(get(http, "/files/a.txt").body()).isEqualTo("a");
            assertThat(get(http, "/a.txt").statusCode()).isEqualTo(404);

            server.server().reload(ServerConfig.parse(RTMP, "reload.conf"));
            assertThat(server.server().httpAddresses()).isEmpty();
            assertThatThrownBy(() -> get(http, "/files/a.txt")).isInstanceOf(ConnectException.class);
        }
    }
}
