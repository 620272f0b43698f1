package onair.directory;

import io.netty.channel.EventLoop;
import onair.config.DirectoryConfig;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Leases in Redis: {@code SET key value PX lease NX} takes a key, and small Lua scripts extend or delete it only while
 * it still holds this process's value, so an origin never touches a lease another origin took after its own expired.
 */
final class RedisLeaseStore implements LeaseStore {

    private static final String REFRESH = "if redis.call('GET', KEYS[1]) == ARGV[1] then "
        + "return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";
    private static final String RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then "
        + "return redis.call('DEL', KEYS[1]) else return 0 end";
    private static final Duration MIN_TIMEOUT = Duration.ofMillis(200);
    private static final Duration MAX_TIMEOUT = Duration.ofSeconds(2);

    private final DirectoryConfig.Redis redis;
    private final RedisConnection connection;
    private volatile Runnable onUp = () -> { };

    private RedisLeaseStore(DirectoryConfig.Redis redis, EventLoop loop) {
        this.redis = redis;
        this.connection = new RedisConnection(redis, loop, timeout(redis.lease()), () -> onUp.run());
    }

    /** A store on {@code redis} whose connection runs on {@code loop}, connecting now. */
    static RedisLeaseStore start(DirectoryConfig.Redis redis, EventLoop loop) {
        RedisLeaseStore store = new RedisLeaseStore(redis, loop);
        store.connection.start();
        return store;
    }

    /** How long a command may wait for its reply: a third of the lease, between 200 ms and 2 s. */
    static Duration timeout(Duration lease) {
        Duration third = lease.dividedBy(3);
        return third.compareTo(MIN_TIMEOUT) < 0 ? MIN_TIMEOUT : third.compareTo(MAX_TIMEOUT) > 0 ? MAX_TIMEOUT : third;
    }

    @Override
    public CompletionStage<Boolean> take(String key, String value, Duration lease) {
        return connection.send("SET", key, value, "PX", Long.toString(lease.toMillis()), "NX")
            .thenCompose(reply -> "OK".equals(reply) ? CompletableFuture.completedFuture(true)
                : refresh(key, value, lease));
    }

    @Override
    public CompletionStage<Boolean> refresh(String key, String value, Duration lease) {
        return connection.send("EVAL", REFRESH, "1", key, value, Long.toString(lease.toMillis()))
            .thenApply(reply -> Long.valueOf(1).equals(reply));
    }

    @Override
    public CompletionStage<Void> release(String key, String value) {
        return connection.send("EVAL", RELEASE, "1", key, value).thenApply(reply -> null);
    }

    @Override
    public CompletionStage<Optional<String>> get(String key) {
        return connection.send("GET", key).thenApply(reply -> Optional.ofNullable((String) reply));
    }

    @Override
    public boolean up() {
        return connection.up();
    }

    @Override
    public String backend() {
        return "redis";
    }

    @Override
    public String target() {
        return redis.toString();
    }

    @Override
    public void onUp(Runnable action) {
        onUp = action;
    }

    @Override
    public void close() {
        connection.close();
    }
}
