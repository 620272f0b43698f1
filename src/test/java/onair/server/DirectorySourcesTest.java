package onair.server;

import onair.config.ApplicationConfig;
import onair.config.ServerConfig;
import onair.directory.DirectorySnapshot;
import onair.directory.StaticDirectory;
import onair.directory.StreamDirectory;
import onair.relay.Remote;
import onair.testing.SyntheticPublisher;
import onair.testing.TestPlayer;
import onair.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An edge's pull sources: the directory's origins in its order, then the application's {@code pull} lines. */
class DirectorySourcesTest {

    private static ApplicationConfig app(String directives) {
        return ServerConfig.parse("rtmp { directory static rtmp://127.0.0.1:1; server { listen 1935;"
            + " application live { live on; " + directives + " } } }", "t.conf")
            .rtmpServers().getFirst().applications().getFirst();
    }

    private static List<Remote> sources(StreamDirectory directory, ApplicationConfig app) throws Exception {
        return new DirectorySources(() -> directory).sources(app, "cam").toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void theDirectorysOriginsComeFirstInItsOrderThenThePullLines() throws Exception {
        StaticDirectory directory = new StaticDirectory(List.of(URI.create("rtmp://localhost:1940"),
            URI.create("rtmps://127.0.0.2:443")));

        List<Remote> remotes = sources(directory, app("directory_pull on; pull rtmp://127.0.0.3:1935/backup;"));

        assertThat(remotes).extracting(Remote::shown).containsExactly("rtmp://localhost:1940/live",
            "rtmps://127.0.0.2:443/live", "rtmp://127.0.0.3:1935/backup/***");
        assertThat(remotes.getFirst()).extracting(Remote::host, Remote::app, Remote::name, Remote::tcUrl, Remote::tls)
            .containsExactly("localhost", "live", "cam", "rtmp://localhost:1940/live", false);
        assertThat(remotes.getFirst().address().isUnresolved()).isFalse();
        assertThat(remotes.get(1).tls()).isTrue();
    }

    @Test
    void withoutDirectoryPullOnlyThePullLinesCount() throws Exception {
        StaticDirectory directory = new StaticDirectory(List.of(URI.create("rtmp://127.0.0.2:1935")));
        DirectorySources sources = new DirectorySources(() -> directory);

        assertThat(sources.pulls(app(""), "cam")).isFalse();
        assertThat(sources.pulls(app("directory_pull on;"), "cam")).isTrue();
        assertThat(sources(directory, app("pull rtmp://127.0.0.3/live;"))).extracting(Remote::shown)
            .containsExactly("rtmp://127.0.0.3:1935/live/***");
    }

    @Test
    void aFailedLookupFallsBackToThePullLinesOrFails() throws Exception {
        StreamDirectory down = new StreamDirectory() {
            @Override
            public CompletionStage<Boolean> register(String app, String name, URI origin) {
                return CompletableFuture.completedFuture(false);
            }

            @Override
            public CompletionStage<Void> release(String app, String name) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletionStage<List<URI>> origins(String app, String name) {
                return CompletableFuture.failedFuture(new IOException("Redis is down"));
            }

            @Override
            public DirectorySnapshot snapshot() {
                return new DirectorySnapshot("redis", "redis://127.0.0.1:1/0", false, 0, 0);
            }

            @Override
            public void close() {
            }
        };

        assertThat(sources(down, app("directory_pull on; pull rtmp://127.0.0.3/live;"))).extracting(Remote::shown)
            .containsExactly("rtmp://127.0.0.3:1935/live/***");
        assertThatThrownBy(() -> sources(down, app("directory_pull on;"))).isInstanceOf(ExecutionException.class)
            .hasRootCauseMessage("Redis is down");
    }

    @Test
    void anUnresolvableOriginIsSkipped() throws Exception {
        StaticDirectory directory = new StaticDirectory(List.of(URI.create("rtmp://no-such-origin.invalid:1935"),
            URI.create("rtmp://127.0.0.2:1935")));

        assertThat(sources(directory, app("directory_pull on;"))).extracting(Remote::shown)
            .containsExactly("rtmp://127.0.0.2:1935/live");
    }

    @Test
    void anEdgeWithAStaticDirectoryFailsOverToTheSecondOrigin() throws Exception {
        int down;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            down = socket.getLocalPort();
        }
        try (TestServer origin = TestServer.start();
             TestServer edge = TestServer.start("rtmp { directory static rtmp://127.0.0.1:" + down
                 + " rtmp://127.0.0.1:" + origin.address().getPort() + "; server { listen 127.0.0.1:0;"
                 + " application live { live on; directory_pull on; pull_reconnect 200ms; } } }");
             SyntheticPublisher publisher = new SyntheticPublisher(origin.address(), "live", "cam", 10, 200)) {
            publisher.send(10);
            publisher.sync();
            try (TestPlayer player = TestPlayer.play(new InetSocketAddress("127.0.0.1", edge.address().getPort()),
                "live", "cam")) {
                player.readUntilVideo(9, Duration.ofSeconds(20));

                assertThat(player.videoSequences()).contains(9);
            }
        }
    }
}
