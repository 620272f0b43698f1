package onair.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.sun.management.UnixOperatingSystemMXBean;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import onair.rtmpserver.RtmpSession;
import onair.testing.LogCapture;
import onair.testing.SyntheticPublisher;
import onair.testing.TestPlayer;
import onair.testing.TestServer;
import onair.testing.Trickler;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Slowloris: peers that trickle the handshake a byte at a time are closed by {@code timeout}, and 10,000 of them at once
 * hold bounded memory while a real stream keeps flowing.
 */
class SlowlorisTest {

    private static final int PEERS = 10_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration MARGIN = Duration.ofSeconds(4);
    private static final long BYTES_PER_PEER = 20 << 10;

    @Test
    void aPeerTricklingTheHandshakeIsClosedAtTheTimeoutWithOneLine() throws Exception {
        try (LogCapture log = new LogCapture(RtmpSession.class);
             TestServer server = TestServer.start("rtmp { server { listen 127.0.0.1:0; timeout 2s;"
                 + " application live { live on; } } }");
             Socket peer = new Socket(server.address().getAddress(), server.address().getPort())) {
            peer.setSoTimeout(500);
            peer.getOutputStream().write(3);
            boolean closed = false;
            for (int i = 0; i < 20 && !closed; i++) {
                try {
                    closed = peer.getInputStream().read() < 0;
                } catch (SocketTimeoutException quiet) {
                    peer.getOutputStream().write(0);
                }
            }
            assertThat(closed).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> !log.lines("closed:").isEmpty());
            assertThat(log.lines("closed:")).singleElement().asString()
                .endsWith("closed: no connect within timeout 2000 ms");
        }
    }

    @Test
    void tenThousandTricklingPeersAreClosedByTimeoutWithBoundedMemoryWhileAStreamKeepsFlowing() throws Exception {
        long descriptors = ((UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getMaxFileDescriptorCount();
        assertThat(descriptors).as("open files per process (ulimit -n): " + PEERS
            + " slowloris connections need their server ends in this JVM, and as many in the trickler process")
            .isGreaterThanOrEqualTo(PEERS + 2_000L);
        Logger sessionLog = (Logger) LoggerFactory.getLogger(RtmpSession.class);
        Level level = sessionLog.getLevel();
        sessionLog.setLevel(Level.WARN);
        try (TestServer server = TestServer.start("rtmp { server { listen 127.0.0.1:0; timeout "
                 + TIMEOUT.toSeconds() + "s; max_connections off; max_connections_per_address off;"
                 + " application live { live on; } } }");
             SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "key", 25, 1000);
             TestPlayer player = TestPlayer.play(server.address(), "live", "key")) {
            publisher.send(25);
            player.readUntilVideo(24, Duration.ofSeconds(5));
            Memory before = Memory.afterGc();

            Process trickler = Trickler.start(server.address(), PEERS, 60);
            List<String> output = new CopyOnWriteArrayList<>();
            Thread.ofVirtual().start(() -> new BufferedReader(
                new InputStreamReader(trickler.getInputStream(), StandardCharsets.UTF_8)).lines().forEach(output::add));
            int mostOpen = 0;
            Memory peak = null;
            while (trickler.isAlive()) {
                publisher.send(2);
                player.readUntilVideo(publisher.next() - 1, Duration.ofSeconds(5));
                int open = server.server().openConnections() - 2;
                mostOpen = Math.max(mostOpen, open);
                if (peak == null && open >= PEERS) {
                    peak = Memory.afterGc();
                }
                Thread.sleep(80);
            }
            assertThat(trickler.waitFor(5, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.server().openConnections() == 2);
            Memory after = Memory.afterGc();
            publisher.send(25);
            player.readUntilVideo(publisher.next() - 1, Duration.ofSeconds(5));

            System.out.printf("slowloris: %d peers at once; heap %+d KB, direct %+d KB at peak (%d bytes per peer);"
                    + " heap %+d KB, direct %+d KB after all closed; trickler: %s%n", mostOpen,
                (peak.heap - before.heap) >> 10, (peak.direct - before.direct) >> 10,
                peak.minus(before) / PEERS, (after.heap - before.heap) >> 10, (after.direct - before.direct) >> 10,
                output);
            assertThat(output).contains("opened " + PEERS);
            assertThat(output.getLast()).startsWith("closed " + PEERS + " ");
            long longest = Long.parseLong(output.getLast().substring(output.getLast().lastIndexOf(' ') + 1));
            assertThat(longest).as("longest life of a trickling connection, ms")
                .isLessThanOrEqualTo(TIMEOUT.plus(MARGIN).toMillis());
            assertThat(mostOpen).isEqualTo(PEERS);
            assertThat(peak.minus(before)).as("memory held by %d trickling connections", PEERS)
                .isLessThanOrEqualTo(PEERS * BYTES_PER_PEER);
            assertThat(player.videoSequences())
                .containsExactlyElementsOf(IntStream.range(0, publisher.next()).boxed().toList());
            assertThat(player.client().channel().isActive()).isTrue();
        } finally {
            sessionLog.setLevel(level);
        }
    }

    private record Memory(long heap, long direct) {

        static Memory afterGc() {
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            ByteBufAllocatorMetric metric = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
            return new Memory(heap, metric.usedDirectMemory() + metric.usedHeapMemory());
        }

        long minus(Memory base) {
            return heap - base.heap + direct - base.direct;
        }
    }
}
