package onair.directory;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import onair.config.DirectoryConfig;
import onair.config.ServerConfig;
import onair.testing.LogCapture;
import onair.testing.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The Redis directory against a real {@code redis-server}: registrations appear under their key and go on release,
 * leases are refreshed while held and expire when their origin dies, a held lease is never taken by another origin
 * until it expires, and a Redis that is killed and comes back is reconnected to and registered in again.
 */
class RedisDirectoryTest {

    private static final URI ORIGIN_A = URI.create("rtmp://origin-a:1935/live");
    private static final URI ORIGIN_B = URI.create("rtmp://origin-b:1935/live");
    private static final String KEY = "onair:stream:live/cam";

    private RedisServer redis;
    private final List<MultiThreadIoEventLoopGroup> groups = new ArrayList<>();
    private final List<StreamDirectory> directories = new ArrayList<>();

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        directories.forEach(StreamDirectory::close);
        groups.forEach(group -> group.shutdownGracefully(0, 0, TimeUnit.SECONDS));
        redis.close();
    }

    /** A directory on its own event loop, which {@link #die} can end without a word. */
    private LeasedDirectory directory(Duration lease, MultiThreadIoEventLoopGroup group) {
        groups.add(group);
        DirectoryConfig.Redis server = new DirectoryConfig.Redis("127.0.0.1", redis.port(), 0, null, null,
            DirectoryConfig.DEFAULT_PREFIX, lease);
        LeasedDirectory directory = new LeasedDirectory(RedisLeaseStore.start(server, group.next()), group.next(),
            server.prefix(), lease, () -> { });
        directories.add(directory);
        await().atMost(10, TimeUnit.SECONDS).until(() -> directory.snapshot().up());
        return directory;
    }

    private LeasedDirectory directory(Duration lease) {
        return directory(lease, new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()));
    }

    private static MultiThreadIoEventLoopGroup group() {
        return new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    /** Ends an origin's directory the way a killed process does: no release, no more refreshes. */
    private void die(StreamDirectory directory, MultiThreadIoEventLoopGroup group) {
        directories.remove(directory);
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private static <T> T join(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void aRegistrationIsFoundUntilItIsReleased() throws Exception {
        StreamDirectory directory = directory(Duration.ofSeconds(10));

        assertThat(join(directory.register("live", "cam", ORIGIN_A))).isTrue();

        assertThat(redis.call("GET", KEY)).isEqualTo(ORIGIN_A.toString());
        assertThat(Long.parseLong(redis.call("PTTL", KEY))).isBetween(1L, 10_000L);
        assertThat(join(directory.lookup("live", "cam"))).contains(ORIGIN_A);
        assertThat(join(directory.lookup("live", "other"))).isEmpty();
        assertThat(directory.snapshot()).isEqualTo(new DirectorySnapshot("redis",
            "redis://127.0.0.1:" + redis.port() + "/0", true, 1, 0));

        join(directory.release("live", "cam"));

        assertThat(redis.call("GET", KEY)).isNull();
        assertThat(join(directory.lookup("live", "cam"))).isEmpty();
        assertThat(directory.snapshot().held()).isZero();
    }

    @Test
    void aHeldLeaseIsRefreshedPastItsLeaseTime() throws Exception {
        StreamDirectory directory = directory(Duration.ofSeconds(1));
        assertThat(join(directory.register("live", "cam", ORIGIN_A))).isTrue();

        await().during(Duration.ofSeconds(3)).atMost(5, TimeUnit.SECONDS)
            .until(() -> ORIGIN_A.toString().equals(redis.call("GET", KEY)));
    }

    @Test
    void theLeaseOfAnOriginThatDiesExpires() throws Exception {
        MultiThreadIoEventLoopGroup origin = group();
        StreamDirectory directory = directory(Duration.ofSeconds(1), origin);
        assertThat(join(directory.register("live", "cam", ORIGIN_A))).isTrue();

        die(directory, origin);

        await().atMost(5, TimeUnit.SECONDS).until(() -> redis.call("GET", KEY) == null);
    }

    @Test
    void aSecondOriginCannotTakeAHeldLeaseAndTakesItOverOnceItExpires() throws Exception {
        MultiThreadIoEventLoopGroup originA = group();
        StreamDirectory a = directory(Duration.ofSeconds(1), originA);
        StreamDirectory b = directory(Duration.ofSeconds(1));
        assertThat(join(a.register("live", "cam", ORIGIN_A))).isTrue();

        assertThat(join(b.register("live", "cam", ORIGIN_B))).isFalse();
        assertThat(join(b.lookup("live", "cam"))).contains(ORIGIN_A);
        assertThat(b.snapshot().waiting()).isEqualTo(1);
        await().during(Duration.ofSeconds(2)).atMost(4, TimeUnit.SECONDS)
            .until(() -> ORIGIN_A.toString().equals(redis.call("GET", KEY)));

        die(a, originA);

        await().atMost(5, TimeUnit.SECONDS).until(() -> ORIGIN_B.toString().equals(redis.call("GET", KEY)));
        assertThat(join(b.lookup("live", "cam"))).contains(ORIGIN_B);
        await().atMost(5, TimeUnit.SECONDS).until(() -> b.snapshot().held() == 1);
    }

    @Test
    void aReleaseNeverDeletesAnotherOriginsLease() throws Exception {
        StreamDirectory a = directory(Duration.ofSeconds(10));
        StreamDirectory b = directory(Duration.ofSeconds(10));
        assertThat(join(a.register("live", "cam", ORIGIN_A))).isTrue();
        assertThat(join(b.register("live", "cam", ORIGIN_B))).isFalse();

        join(b.release("live", "cam"));

        assertThat(redis.call("GET", KEY)).isEqualTo(ORIGIN_A.toString());
    }

    @Test
    void aKilledRedisIsSurvivedAndRegisteredInAgainWhenItIsBack() throws Exception {
        try (LogCapture log = new LogCapture(RedisConnection.class)) {
            StreamDirectory directory = directory(Duration.ofSeconds(1));
            assertThat(join(directory.register("live", "cam", ORIGIN_A))).isTrue();

            redis.kill();
            await().atMost(5, TimeUnit.SECONDS).until(() -> !directory.snapshot().up());

            assertThat(join(directory.register("live", "second", ORIGIN_A))).as("registering while down").isFalse();
            assertThatThrownBy(() -> join(directory.lookup("live", "cam"))).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("is down");
            await().atMost(5, TimeUnit.SECONDS).until(() -> log.lines("is down").size() == 1
                && log.lines("is up").size() == 1);

            redis.restart();

            await().atMost(10, TimeUnit.SECONDS).until(() -> ORIGIN_A.toString().equals(redis.call("GET", KEY))
                && ORIGIN_A.toString().equals(redis.call("GET", "onair:stream:live/second")));
            assertThat(join(directory.lookup("live", "cam"))).isEqualTo(Optional.of(ORIGIN_A));
            assertThat(directory.snapshot()).extracting(DirectorySnapshot::up, DirectorySnapshot::held)
                .containsExactly(true, 2);
            assertThat(log.lines("is down")).as("one line per change, not per reconnect attempt").hasSize(1);
            assertThat(log.lines("is up")).hasSize(2);
        }
    }

    @Test
    void aStuckRedisFailsCommandsWithinTheirTimeoutAndIsReconnectedTo() throws Exception {
        StreamDirectory directory = directory(Duration.ofSeconds(1));
        assertThat(join(directory.register("live", "cam", ORIGIN_A))).isTrue();

        redis.call("CLIENT", "PAUSE", "3000");

        assertThatThrownBy(() -> directory.lookup("live", "cam").toCompletableFuture().get(2, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class).hasMessageContaining("no reply from");
        assertThat(join(directory.register("live", "stuck", ORIGIN_A))).as("registering while stuck").isFalse();
        await().atMost(10, TimeUnit.SECONDS).until(() -> directory.snapshot().up()
            && ORIGIN_A.toString().equals(redis.call("GET", "onair:stream:live/stuck")));
        assertThat(join(directory.lookup("live", "cam"))).contains(ORIGIN_A);
    }

    @Test
    void aDirectoryStartedWithRedisDownRegistersOnceItIsUp() throws Exception {
        redis.kill();
        DirectoryConfig.Redis server = new DirectoryConfig.Redis("127.0.0.1", redis.port(), 0, null, null,
            DirectoryConfig.DEFAULT_PREFIX, Duration.ofSeconds(1));
        MultiThreadIoEventLoopGroup group = group();
        groups.add(group);
        StreamDirectory directory = new LeasedDirectory(RedisLeaseStore.start(server, group.next()), group.next(),
            server.prefix(), server.lease(), () -> { });
        directories.add(directory);

        assertThat(join(directory.register("live", "cam", ORIGIN_A))).isFalse();
        assertThat(directory.snapshot().waiting()).isEqualTo(1);

        redis.restart();

        await().atMost(10, TimeUnit.SECONDS).until(() -> ORIGIN_A.toString().equals(redis.call("GET", KEY)));
    }

    @Test
    void authAndTheDatabaseComeFromTheUrl() throws Exception {
        redis.close();
        redis = RedisServer.start("s3cret");
        DirectoryConfig config = ServerConfig.parse("rtmp { directory redis://:s3cret@127.0.0.1:"
            + redis.port() + "/3 prefix=test: lease=5s; server { listen 127.0.0.1:0; } }", "t.conf").directory();
        StreamDirectory directory = StreamDirectory.of(config);
        directories.add(directory);
        await().atMost(10, TimeUnit.SECONDS).until(() -> directory.snapshot().up());

        assertThat(join(directory.register("live", "cam", ORIGIN_A))).isTrue();

        assertThat(redis.call(3, "GET", "test:stream:live/cam")).isEqualTo(ORIGIN_A.toString());
        assertThat(redis.call(0, "GET", "test:stream:live/cam")).isNull();
        assertThat(Long.parseLong(redis.call(3, "PTTL", "test:stream:live/cam"))).isBetween(1L, 5_000L);
    }

    @Test
    void aWrongPasswordKeepsTheDirectoryDownWithOneLogLine() throws Exception {
        redis.close();
        redis = RedisServer.start("s3cret");
        try (LogCapture log = new LogCapture(RedisConnection.class)) {
            DirectoryConfig.Redis server = new DirectoryConfig.Redis("127.0.0.1", redis.port(), 0, null, "wrong",
                DirectoryConfig.DEFAULT_PREFIX, Duration.ofSeconds(1));
            StreamDirectory directory = StreamDirectory.of(new DirectoryConfig(DirectoryConfig.Backend.REDIS, server,
                List.of(), null, true));
            directories.add(directory);

            await().atMost(5, TimeUnit.SECONDS).until(() -> !log.lines("is down").isEmpty());
            assertThat(join(directory.register("live", "cam", ORIGIN_A))).isFalse();
            assertThat(directory.snapshot().up()).isFalse();
            assertThat(log.lines("is down")).singleElement().asString().contains("WRONGPASS");
        }
    }
}
