package onair.directory;

import onair.config.ServerConfig;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code directory static …}: every stream may be on each origin, in the configured order; registering does nothing. */
class StaticDirectoryTest {

    private final StreamDirectory directory = StreamDirectory.of(ServerConfig.parse(
        "rtmp { directory static rtmp://origin1 rtmps://origin2:1936; server { listen 1935; } }", "t.conf")
        .directory());

    @Test
    void anEdgeIsGivenEveryOriginInOrderWithTheApplication() throws Exception {
        assertThat(directory.origins("live", "cam").toCompletableFuture().get(1, TimeUnit.SECONDS)).containsExactly(
            URI.create("rtmp://origin1:1935/live"), URI.create("rtmps://origin2:1936/live"));
        assertThat(directory.lookup("tv", "cam").toCompletableFuture().get(1, TimeUnit.SECONDS))
            .contains(URI.create("rtmp://origin1:1935/tv"));
    }

    @Test
    void registeringTakesNoLease() throws Exception {
        assertThat(directory.register("live", "cam", URI.create("rtmp://me:1935/live")).toCompletableFuture()
            .get(1, TimeUnit.SECONDS)).isFalse();
        assertThat(directory.snapshot()).isEqualTo(new DirectorySnapshot("static",
            "rtmp://origin1:1935 rtmps://origin2:1936", true, 0, 0));
    }

    @Test
    void withoutADirectoryNoOriginIsKnown() throws Exception {
        StreamDirectory off = StreamDirectory.of(ServerConfig.parse("rtmp { server { listen 1935; } }", "t.conf")
            .directory());

        assertThat(off.lookup("live", "cam").toCompletableFuture().get(1, TimeUnit.SECONDS)).isEmpty();
    }
}
