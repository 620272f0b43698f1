package onair.directory;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.redis.AbstractStringRedisMessage;
import io.netty.handler.codec.redis.ArrayRedisMessage;
import io.netty.handler.codec.redis.ErrorRedisMessage;
import io.netty.handler.codec.redis.FixedRedisMessagePool;
import io.netty.handler.codec.redis.FullBulkStringRedisMessage;
import io.netty.handler.codec.redis.IntegerRedisMessage;
import io.netty.handler.codec.redis.RedisArrayAggregator;
import io.netty.handler.codec.redis.RedisBulkStringAggregator;
import io.netty.handler.codec.redis.RedisDecoder;
import io.netty.handler.codec.redis.RedisEncoder;
import io.netty.handler.codec.redis.RedisMessage;
import io.netty.util.concurrent.ScheduledFuture;
import onair.config.DirectoryConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One connection to a Redis server, kept open on one event loop: reconnects with exponential backoff, sends
 * {@code AUTH} and {@code SELECT} first, pipelines commands and answers each with its reply. A command fails at once
 * while the server is down or too many are in flight, and after {@code timeout} without a reply, which also drops the
 * connection. The server going down or coming back is logged once per change.
 */
final class RedisConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisConnection.class);
    private static final int MAX_IN_FLIGHT = 1024;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final int MAX_INLINE = 64 * 1024;

    /** A reply of the server that is an error ({@code -ERR ...}), or a command that got no reply. */
    static final class RedisException extends RuntimeException {
        RedisException(String message) {
            super(message, null, false, false);
        }
    }

    private record Pending(CompletableFuture<Object> reply, ScheduledFuture<?> timer) {}

    private final DirectoryConfig.Redis redis;
    private final EventLoop loop;
    private final Duration timeout;
    private final Runnable onUp;
    private final Queue<Pending> inFlight = new ArrayDeque<>();
    private Channel channel;
    private volatile boolean up;
    private Boolean logged;
    private Duration backoff = FIRST_BACKOFF;
    private boolean closed;

    /**
     * @param onUp run on {@code loop} each time the connection is ready again
     */
    RedisConnection(DirectoryConfig.Redis redis, EventLoop loop, Duration timeout, Runnable onUp) {
        this.redis = redis;
        this.loop = loop;
        this.timeout = timeout;
        this.onUp = onUp;
    }

    /** Starts connecting; returns at once. */
    void start() {
        loop.execute(this::connect);
    }

    /** Whether the connection is open and ready for commands. */
    boolean up() {
        return up;
    }

    /**
     * Sends one command; the reply completes on the connection's event loop as a {@link String}, a {@link Long}, a
     * {@link List} or null, or fails with a {@link RedisException}.
     */
    CompletableFuture<Object> send(String... command) {
        CompletableFuture<Object> reply = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                if (!up) {
                    reply.completeExceptionally(new RedisException(redis + " is down"));
                } else {
                    write(command, reply);
                }
            });
        } catch (RejectedExecutionException closed) {
            reply.completeExceptionally(new RedisException("the connection to " + redis + " is closed"));
        }
        return reply;
    }

    private void write(String[] command, CompletableFuture<Object> reply) {
        if (inFlight.size() >= MAX_IN_FLIGHT) {
            reply.completeExceptionally(new RedisException(MAX_IN_FLIGHT + " commands in flight to " + redis));
            return;
        }
        List<RedisMessage> parts = new ArrayList<>(command.length);
        for (String part : command) {
            parts.add(new FullBulkStringRedisMessage(Unpooled.copiedBuffer(part, StandardCharsets.UTF_8)));
        }
        Channel target = channel;
        ScheduledFuture<?> timer = loop.schedule(() -> {
            if (reply.completeExceptionally(new RedisException("no reply from " + redis + " within "
                    + timeout.toMillis() + "ms"))) {
                target.close();
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        inFlight.add(new Pending(reply, timer));
        target.writeAndFlush(new ArrayRedisMessage(parts));
    }

    private void connect() {
        if (closed) {
            return;
        }
        ChannelFuture connecting = new Bootstrap()
            .group(loop)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new RedisDecoder(MAX_INLINE, FixedRedisMessagePool.INSTANCE), new RedisBulkStringAggregator(), new RedisArrayAggregator(),
                        new RedisEncoder(), new Replies());
                }
            })
            .connect(redis.host(), redis.port());
        channel = connecting.channel();
        connecting.addListener(done -> {
            if (!done.isSuccess()) {
                down(reason(done.cause()));
                return;
            }
            handshake();
        });
        channel.closeFuture().addListener(done -> lost());
    }

    private void handshake() {
        CompletableFuture<Object> ready = CompletableFuture.completedFuture("OK");
        if (redis.password() != null) {
            String[] auth = redis.user() == null ? new String[] {"AUTH", redis.password()}
                : new String[] {"AUTH", redis.user(), redis.password()};
            ready = ready.thenCompose(ok -> command(auth));
        }
        if (redis.database() != 0) {
            ready = ready.thenCompose(ok -> command("SELECT", Integer.toString(redis.database())));
        }
        Channel opened = channel;
        ready.thenCompose(ok -> command("PING")).whenComplete((ok, failure) -> {
            if (opened != channel || !opened.isActive()) {
                return;
            }
            if (failure != null) {
                down(reason(failure));
                opened.close();
                return;
            }
            up = true;
            backoff = FIRST_BACKOFF;
            if (!Boolean.TRUE.equals(logged)) {
                log.info("directory {} is up", redis);
                logged = true;
            }
            onUp.run();
        });
    }

    private CompletableFuture<Object> command(String... command) {
        CompletableFuture<Object> reply = new CompletableFuture<>();
        write(command, reply);
        return reply;
    }

    private void lost() {
        up = false;
        RedisException gone = new RedisException("connection to " + redis + " lost");
        for (Pending pending; (pending = inFlight.poll()) != null; ) {
            pending.timer().cancel(false);
            pending.reply().completeExceptionally(gone);
        }
        down("connection lost");
        if (!closed) {
            loop.schedule(this::connect, backoff.toMillis(), TimeUnit.MILLISECONDS);
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    private void down(String reason) {
        up = false;
        if (!closed && !Boolean.FALSE.equals(logged)) {
            log.warn("directory {} is down: {}; local publishing goes on, retrying", redis, reason);
            logged = false;
        }
    }

    /** Closes the connection for good; commands in flight fail. */
    @Override
    public void close() {
        loop.submit(() -> {
            closed = true;
            up = false;
            if (channel != null) {
                channel.close();
            }
        }).awaitUninterruptibly(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private final class Replies extends SimpleChannelInboundHandler<RedisMessage> {

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, RedisMessage message) {
            Pending pending = inFlight.poll();
            if (pending == null) {
                log.warn("directory {}: a reply without a command, closing", redis);
                ctx.close();
                return;
            }
            pending.timer().cancel(false);
            if (message instanceof ErrorRedisMessage error) {
                pending.reply().completeExceptionally(new RedisException(redis + ": " + error.content()));
            } else {
                pending.reply().complete(value(message));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            down(reason(cause));
            ctx.close();
        }
    }

    /** What went wrong, for a log line: the message of the failure a completion wraps. */
    static String reason(Throwable failure) {
        Throwable cause = (failure instanceof CompletionException || failure instanceof ExecutionException)
            && failure.getCause() != null ? failure.getCause() : failure;
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    private static Object value(RedisMessage message) {
        return switch (message) {
            case FullBulkStringRedisMessage bulk -> bulk.isNull() ? null
                : bulk.content().toString(StandardCharsets.UTF_8);
            case AbstractStringRedisMessage text -> text.content();
            case IntegerRedisMessage integer -> integer.value();
            case ArrayRedisMessage array -> array.isNull() ? null
                : array.children().stream().map(RedisConnection::value).toList();
            default -> throw new RedisException("unexpected reply " + message);
        };
    }
}
