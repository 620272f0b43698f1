package onair.relay;

import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import onair.stream.LiveOptions;
import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.stream.StreamRegistry;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The pull of one local stream from an ordered list of remotes (nginx-rtmp's {@code pull} lines): a remote that
 * cannot connect or refuses is followed by the next one at once; when the whole list has failed, or a pulled stream
 * ends, the list is asked for again and tried from the first after {@link Backoff exponential backoff} from
 * {@code pull_reconnect}, as it is when it answers no remote or fails (a directory that does not know the stream
 * yet). An on-demand pull ends when no local player is left; a {@code static} one runs until it is stopped. Runs on
 * one event loop, which never waits for the list.
 */
final class PullRelay implements RtmpRelay.Events {

    private final StreamKey key;
    private final LiveOptions options;
    private final Supplier<CompletionStage<List<Remote>>> sources;
    private final StreamRegistry registry;
    private final RelayNet net;
    private final SslContext ssl;
    private final Backoff backoff;
    private final boolean isStatic;
    private final Consumer<PullRelay> done;
    private final EventLoop loop;
    private int next;
    private int tried;
    private int count;
    private boolean stopped;
    private volatile RtmpRelay relay;
    private volatile Remote remote;
    private volatile RelayState state = RelayState.CONNECTING;
    private volatile String lastError;
    private volatile long reconnects;

    /** @param done told once, on the relay's event loop, when the pull has ended for good */
    PullRelay(StreamKey key, LiveOptions options, Supplier<CompletionStage<List<Remote>>> sources,
            StreamRegistry registry, RelayNet net, SslContext ssl, Duration reconnect, boolean isStatic,
            Consumer<PullRelay> done) {
        this.key = key;
        this.options = options;
        this.sources = sources;
        this.registry = registry;
        this.net = net;
        this.ssl = ssl;
        this.backoff = new Backoff(reconnect);
        this.isStatic = isStatic;
        this.done = done;
        this.loop = net.group().next();
    }

    void start() {
        loop.execute(this::connect);
    }

    /** Ends the pull, from any thread. */
    void stop() {
        loop.execute(() -> {
            stopped = true;
            RtmpRelay current = relay;
            if (current != null) {
                current.stop("pull stopped");
            } else {
                finish();
            }
        });
    }

    private void connect() {
        if (stopped || !wanted()) {
            return;
        }
        CompletionStage<List<Remote>> answer;
        try {
            answer = sources.get();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((remotes, failure) -> loop.execute(() -> connectTo(remotes, failure)));
    }

    private boolean wanted() {
        LiveStream local = registry.stream(key, options);
        if (!isStatic && (local.isLive() || local.subscriberCount() == 0)) {
            finish();
            return false;
        }
        if (local.isLive()) {
            retry();
            return false;
        }
        return true;
    }

    private void connectTo(List<Remote> remotes, Throwable failure) {
        if (stopped || !wanted()) {
            return;
        }
        if (failure != null || remotes.isEmpty()) {
            lastError = failure == null ? "no source holds the stream" : "no sources: " + failure.getMessage();
            retry();
            return;
        }
        count = remotes.size();
        Remote chosen = remotes.get(next % count);
        remote = chosen;
        next = (next + 1) % count;
        tried++;
        state = RelayState.CONNECTING;
        RtmpRelay created = RtmpRelay.pull(chosen, registry.stream(key, options), loop, net.channelType(),
            chosen.tls() ? ssl : null, PushRelays.CHUNK_SIZE, this, !isStatic);
        relay = created == null || created.ended() ? null : created;
        if (created == null) {
            retry();
        }
    }

    @Override
    public void started(RtmpRelay started) {
        state = RelayState.LIVE;
        backoff.reset();
        tried = 0;
    }

    @Override
    public void ended(RtmpRelay ended, String reason) {
        relay = null;
        lastError = reason;
        if (stopped) {
            finish();
            return;
        }
        if (!isStatic && registry.find(key).map(LiveStream::subscriberCount).orElse(0) == 0) {
            finish();
            return;
        }
        if (!ended.wasStarted() && tried < count) {
            loop.execute(this::connect);
        } else {
            retry();
        }
    }

    private void retry() {
        next = 0;
        tried = 0;
        reconnects++;
        state = RelayState.BACKING_OFF;
        loop.schedule(this::connect, backoff.next(), TimeUnit.MILLISECONDS);
    }

    private void finish() {
        if (state == RelayState.STOPPED) {
            return;
        }
        state = RelayState.STOPPED;
        done.accept(this);
    }

    RelaySnapshot snapshot() {
        RtmpRelay current = relay;
        Remote shown = remote;
        return new RelaySnapshot("pull", shown == null ? "" : shown.shown(), state.label(), lastError,
            current == null ? 0 : current.bytesIn(), 0, reconnects);
    }
}
