package onair.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import onair.testing.LogCapture;
import onair.testing.SyntheticPublisher;
import onair.testing.TestPlayer;
import onair.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * Publishers and players churning for {@code -Donair.soak.seconds} (20 by default): each key is published, dropped and
 * republished every few seconds while players join and leave at random; every player sees contiguous frames within
 * each publication, and at the end no buffer leaked and heap and threads are back where they started.
 */
class SoakTest {

    private static final long SECONDS = Long.getLong("onair.soak.seconds", 20);
    private static final long SEED = Long.getLong("onair.soak.seed", 6);
    private static final int KEYS = 3;
    private static final int MOST_PLAYERS_PER_KEY = 4;
    private static final int GOP = 25;
    private static final int FRAME_BYTES = 2_000;
    private static final long TICK_MILLIS = 40;
    private static final long HEAP_GROWTH_BOUND = 32L << 20;
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void churningPublishersAndPlayersLeakNothingKeepHeapAndThreadsFlatAndFeedEveryPlayer() throws Exception {
        try (LogCapture leaks = new LogCapture(ResourceLeakDetector.class);
             TestServer server = TestServer.start("rtmp { server { listen 127.0.0.1:0; timeout 10s;"
                 + " application live { live on; } } }")) {
            Key warmUp = new Key(server, "warm-up");
            warmUp.publish(0);
            warmUp.join(0);
            warmUp.feedEveryPlayer();
            warmUp.close();
            await().atMost(WAIT).until(() -> server.server().registry().streams().isEmpty());
            long heapBefore = heapAfterGc();
            int threadsBefore = threads();

            Random random = new Random(SEED);
            List<Key> keys = new ArrayList<>();
            for (int i = 0; i < KEYS; i++) {
                keys.add(new Key(server, "soak" + i));
            }
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(SECONDS);
            while (System.nanoTime() < end) {
                long now = System.nanoTime();
                for (Key key : keys) {
                    key.step(random, now);
                }
                Thread.sleep(TICK_MILLIS);
            }
            for (Key key : keys) {
                if (key.publisher == null) {
                    key.publish(System.nanoTime());
                }
                key.feedEveryPlayer();
            }
            int publications = keys.stream().mapToInt(key -> key.publications).sum();
            int players = keys.stream().mapToInt(key -> key.joined).sum();
            for (Key key : keys) {
                key.close();
            }
            await().atMost(WAIT).until(() -> server.server().registry().streams().isEmpty());
            await().atMost(WAIT).until(() -> server.server().openConnections() == 0);
            await().atMost(Duration.ofSeconds(10)).until(() -> threads() <= threadsBefore + 2);
            long heapAfter = heapAfterGc();
            List<String> leaked = leakReports(leaks);

            System.out.printf("soak: %d s, %d publications, %d players; heap %+d KB, threads %d → %d%n",
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), publications, players,
                (heapAfter - heapBefore) >> 10, threadsBefore, threads());
            assertThat(leaked).as("Netty leak reports").isEmpty();
            assertThat(heapAfter - heapBefore).as("heap growth after GC, bytes").isLessThanOrEqualTo(HEAP_GROWTH_BOUND);
            assertThat(publications).isGreaterThan(KEYS);
            assertThat(players).isGreaterThan(KEYS);
        }
    }

    private static List<String> leakReports(LogCapture leaks) {
        for (int i = 0; i < 5; i++) {
            System.gc();
            for (int j = 0; j < 100; j++) {
                ByteBufAllocator.DEFAULT.buffer(64).release();
            }
        }
        return leaks.lines("LEAK");
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static int threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    /** One stream key: its current publisher, if any, and the players watching it. */
    private static final class Key {

        private final TestServer server;
        private final String name;
        private final List<Watcher> players = new ArrayList<>();
        private SyntheticPublisher publisher;
        private long publishedUntil;
        private long pausedUntil;
        private int publications;
        private int joined;

        Key(TestServer server, String name) {
            this.server = server;
            this.name = name;
        }

        void step(Random random, long now) throws InterruptedException {
            if (publisher != null && now >= publishedUntil) {
                publisher.close();
                publisher = null;
                pausedUntil = now + TimeUnit.MILLISECONDS.toNanos(200 + random.nextInt(1_300));
            } else if (publisher == null && now >= pausedUntil) {
                publish(now + TimeUnit.MILLISECONDS.toNanos(2_000 + random.nextInt(3_000)));
            }
            if (publisher != null) {
                publisher.send(1);
            }
            if (players.size() < MOST_PLAYERS_PER_KEY && random.nextInt(25) == 0) {
                join(now);
            }
            if (!players.isEmpty() && random.nextInt(30) == 0) {
                Watcher leaving = players.remove(random.nextInt(players.size()));
                leaving.check();
                leaving.player.close();
                if (now - leaving.joinedAt > TimeUnit.SECONDS.toNanos(3)) {
                    assertThat(leaving.player.videoSequences()).as("%s: a player watching for 3 s or more", name)
                        .isNotEmpty();
                }
            }
            for (Watcher watcher : players) {
                watcher.check();
            }
        }

        void publish(long until) throws InterruptedException {
            publisher = new SyntheticPublisher(server.address(), "live", name, GOP, FRAME_BYTES);
            publishedUntil = until;
            publications++;
        }

        void join(long now) throws InterruptedException {
            players.add(new Watcher(name, TestPlayer.play(server.address(), "live", name), now));
            joined++;
        }

        void feedEveryPlayer() throws InterruptedException {
            for (Watcher watcher : players) {
                watcher.check();
            }
            publisher.send(GOP);
            int last = publisher.next() - 1;
            for (Watcher watcher : players) {
                watcher.awaitNew(last);
            }
        }

        void close() {
            players.forEach(watcher -> watcher.player.close());
            players.clear();
            if (publisher != null) {
                publisher.close();
                publisher = null;
            }
        }
    }

    /** A player and how far its frames have been checked: contiguous, restarting at 0 with each publication. */
    private static final class Watcher {

        private final String key;
        private final TestPlayer player;
        private final long joinedAt;
        private int checked;

        /** Reads until video frame {@code sequence} arrives after those checked so far, checking everything read. */
        void awaitNew(int sequence) throws InterruptedException {
            int from = checked;
            List<Integer> sequences = player.videoSequences();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!sequences.subList(from, sequences.size()).contains(sequence) && System.nanoTime() < deadline) {
                player.readUntilVideo(Integer.MAX_VALUE, Duration.ofMillis(100));
            }
            check();
            assertThat(sequences.subList(from, sequences.size())).as("%s: frames a player got at the end", key)
                .contains(sequence);
        }

        Watcher(String key, TestPlayer player, long joinedAt) {
            this.key = key;
            this.player = player;
            this.joinedAt = joinedAt;
        }

        void check() throws InterruptedException {
            player.readUntilVideo(Integer.MAX_VALUE, Duration.ZERO);
            List<Integer> sequences = player.videoSequences();
            for (; checked < sequences.size(); checked++) {
                int sequence = sequences.get(checked);
                boolean contiguous = checked == 0
                    ? sequence % GOP == 0
                    : sequence == sequences.get(checked - 1) + 1 || sequence == 0;
                assertThat(contiguous).as("%s: frame %d after %s", key, sequence,
                    sequences.subList(Math.max(0, checked - 5), checked)).isTrue();
            }
        }
    }
}
