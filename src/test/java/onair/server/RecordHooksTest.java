package onair.server;

import onair.testing.CallbackBackend;
import onair.testing.CallbackBackend.Call;
import onair.testing.SyntheticPublisher;
import onair.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The record hooks of the application's recorder and of a {@code recorder} block, told by a real server recording a
 * real publication: {@code on_record_started} when a file opens, {@code on_record_done} and {@code exec_record_done}
 * once per closed file, each recorder with its own settings.
 */
class RecordHooksTest {

    @TempDir
    Path dir;

    @Test
    void eachFileOfEachRecorderReachesItsOwnHooksOnce() throws Exception {
        Path out = dir.resolve("exec.out");
        try (CallbackBackend backend = CallbackBackend.start();
             TestServer server = TestServer.start("""
                 rtmp { server { listen 127.0.0.1:0; application live { live on;
                     record all; record_path "%1$s"; record_max_frames 5;
                     on_record_started %2$s; on_record_done %3$s;
                     exec_record_done echo app $recorder $filename >>%5$s;
                     recorder chunks { record video; record_max_frames 0; record_suffix .chunks.flv;
                         on_record_done %4$s;
                         exec_record_done echo $recorder $path $basename >>%5$s; }
                 } } }
                 """.formatted(dir, backend.url("/started"), backend.url("/done"), backend.url("/chunks-done"), out))) {
            List<Call> started;
            try (SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "cam?k=v", 5, 300)) {
                publisher.send(10);
                publisher.sync();
                started = List.of(backend.await("record_started"), backend.await("record_started"),
                    backend.await("record_started"));
                assertThat(backend.pending()).as("the chunks file is still open").extracting(Call::path)
                    .doesNotContain("/chunks-done");
            }

            List<Call> done = List.of(backend.await("record_done"), backend.await("record_done"),
                backend.await("record_done"));
            await().atMost(10, TimeUnit.SECONDS).until(() -> Files.exists(out)
                && Files.readAllLines(out).size() == 4);

            assertThat(started).extracting(Call::path).containsOnly("/started");
            assertThat(started).extracting(call -> call.arg("recorder")).containsExactlyInAnyOrder("", "", "chunks");
            List<Call> own = done.stream().filter(call -> call.path().equals("/done")).toList();
            List<Call> chunks = done.stream().filter(call -> call.path().equals("/chunks-done")).toList();
            assertThat(own).hasSize(2).allSatisfy(call -> {
                assertThat(call.arg("recorder")).isEmpty();
                assertThat(call.arg("name")).isEqualTo("cam");
                assertThat(call.arg("k")).isEqualTo("v");
                assertThat(call.arg("path")).isEqualTo(dir.resolve("cam.flv").toString());
            });
            assertThat(started).filteredOn(call -> call.arg("recorder").equals("chunks"))
                .extracting(call -> call.arg("path"))
                .containsExactly(dir.resolve("cam.chunks.flv").toString());
            Path chunk = dir.resolve("cam.chunks.flv");
            assertThat(chunks).singleElement().satisfies(call -> {
                assertThat(call.arg("recorder")).isEqualTo("chunks");
                assertThat(call.arg("path")).isEqualTo(chunk.toString());
                assertThat(call.arg("addr")).isEqualTo("127.0.0.1");
            });
            assertThat(Files.readAllLines(out)).as("a recorder block runs its own lines and its application's")
                .containsExactlyInAnyOrder("app  cam.flv", "app  cam.flv", "app chunks cam.chunks.flv",
                    "chunks " + chunk + " cam.chunks");
            assertThat(Files.size(chunk)).isPositive();
            assertThat(backend.pending()).isEmpty();
        }
    }
}
