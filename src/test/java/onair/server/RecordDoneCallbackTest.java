package onair.server;

import onair.testing.CallbackBackend;
import onair.testing.CallbackBackend.Call;
import onair.testing.SyntheticPublisher;
import onair.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A finished recording reaches the application's {@code on_record_done} with nginx-rtmp's arguments. */
class RecordDoneCallbackTest {

    @Test
    void aRecordingClosedByItsPublisherCallsOnRecordDone(@TempDir Path dir) throws Exception {
        try (CallbackBackend backend = CallbackBackend.start();
             TestServer server = TestServer.start("""
                 rtmp { server { listen 127.0.0.1:0; application live { live on;
                     record all; record_path "%s"; on_record_done %s; } } }
                 """.formatted(dir, backend.url("/done")))) {
            try (SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "cam?k=v", 25, 500)) {
                publisher.send(10);
                publisher.sync();
            }

            Call call = backend.await("record_done");
            assertThat(call.path()).isEqualTo("/done");
            assertThat(call.arg("app")).isEqualTo("live");
            assertThat(call.arg("name")).isEqualTo("cam");
            assertThat(call.arg("recorder")).isEmpty();
            assertThat(call.arg("path")).isEqualTo(dir.resolve("cam.flv").toString());
            assertThat(call.arg("addr")).isEqualTo("127.0.0.1");
            assertThat(call.arg("k")).isEqualTo("v");
            assertThat(Files.size(dir.resolve("cam.flv"))).isPositive();
        }
    }
}
