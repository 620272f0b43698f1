package onair.bench;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class ServerJvmTest {

    private Process child;

    @AfterEach
    void stopChild() throws InterruptedException {
        if (child != null) {
            child.destroyForcibly().waitFor();
        }
    }

    @Test
    void readsTheAllocationsAndGcPausesOfAnotherJvm(@TempDir Path dir) throws Exception {
        Path source = Files.writeString(dir.resolve("Allocate.java"), """
            public class Allocate {
                public static void main(String[] args) throws Exception {
                    System.out.println("ready");
                    while (true) {
                        for (int i = 0; i < 10_000; i++) {
                            byte[] garbage = new byte[1024];
                            garbage[i % 1024] = 1;
                        }
                        Thread.sleep(1);
                    }
                }
            }
            """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        child = new ProcessBuilder(java, "-XX:+UseZGC", "-Xmx64m", source.toString()).redirectErrorStream(true).start();
        assertThat(new String(child.getInputStream().readNBytes(5))).isEqualTo("ready");

        AtomicReference<ServerJvm.Reading> later = new AtomicReference<>();
        try (ServerJvm jvm = ServerJvm.attach(child.pid())) {
            assertThat(jvm).as("attached to pid %d", child.pid()).isNotNull();
            ServerJvm.Reading first = jvm.read();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                later.set(jvm.read());
                return later.get().pauses() > first.pauses();
            });
            assertThat(later.get().allocatedBytes() - first.allocatedBytes()).isGreaterThan(10_000_000);
        }
    }

    @Test
    void aProcessThatIsNotAJvmHasNoReading() throws Exception {
        child = new ProcessBuilder("sleep", "30").start();
        assertThat(ServerJvm.attach(child.pid())).isNull();
    }
}
