package onair.server;

import onair.testing.SyntheticPublisher;
import onair.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two rtmp server blocks may each define an application of the same name; a stream's outputs follow the block its
 * publisher connected to, not the first block that has the name.
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
}
