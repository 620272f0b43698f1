package onair.hls;

import onair.stream.Client;
import onair.stream.Clients;
import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.stream.StreamRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * HLS viewers, as SRS and MediaMTX count them: a session is one remote address and User-Agent fetching one live
 * stream's media playlist; it stays alive while it keeps fetching that playlist or its segments and parts, and ends
 * after {@link Limits#idle()} without a request. Each session is a {@link Client} of protocol HLS in the server's
 * {@link Clients}, counted as a viewer of its stream through {@link LiveStream#watch}. Sessions are bounded in total
 * and per address: beyond, files are still served but not counted (logged once). Control's {@code drop} forgets a
 * session (the player is not disconnected; its next playlist fetch starts a new one).
 */
public final class HlsSessions implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HlsSessions.class);
    private static final int MAX_USER_AGENT = 256;

    /**
     * @param idle        how long a session lives without a request
     * @param max         sessions in total
     * @param perAddress  sessions of one remote address
     */
    public record Limits(Duration idle, int max, int perAddress) {

        /** 20 s idle (over three target durations of the default 5 s fragments), 10,000 sessions, 100 per address. */
        public static final Limits DEFAULT = new Limits(Duration.ofSeconds(20), 10_000, 100);
    }

    private record Key(String address, String userAgent, StreamKey stream) {}

    /** One viewer's session; control's {@code drop} ends it, {@code redirect} does nothing. */
    private final class Session implements Client.Control {
        private final Key key;
        private final Client client;
        private LiveStream stream;
        private volatile long lastNanos = System.nanoTime();

        Session(Key key, Client client) {
            this.key = key;
            this.client = client;
            client.connected(key.stream().app(), "", "", "", "");
            client.started(false, key.stream().name(), "");
            client.control(this);
        }

        @Override
        public void drop() {
            end(this);
        }

        @Override
        public void redirect(StreamKey from, String newName) {
        }
    }

    private final Function<Path, Optional<StreamKey>> streams;
    private final StreamRegistry registry;
    private final Clients clients;
    private final Limits limits;
    private final Map<Key, Session> sessions = new HashMap<>();
    private final Map<String, Integer> perAddress = new HashMap<>();
    private final ScheduledExecutorService expiry;
    private boolean warned;

    /**
     * @param streams tells which live stream a requested file belongs to ({@link HlsOutput#streamOf})
     */
    public HlsSessions(Function<Path, Optional<StreamKey>> streams, StreamRegistry registry, Clients clients,
            Limits limits) {
        this.streams = streams;
        this.registry = registry;
        this.clients = clients;
        this.limits = limits;
        this.expiry = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "onair-hls-sessions");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.clamp(limits.idle().toMillis() / 4, 50, 1_000);
        expiry.scheduleWithFixedDelay(this::expire, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * {@code file} was served ({@code bytes} of it) to {@code remote} with {@code userAgent} (null if none): a media
     * playlist of a live stream starts or refreshes a session, its segments and parts refresh one. Never blocks.
     */
    public void served(Path file, InetSocketAddress remote, String userAgent, long bytes) {
        Optional<StreamKey> stream = streams.apply(file);
        if (stream.isEmpty() || remote.getAddress() == null) {
            return;
        }
        String agent = userAgent == null ? "" : userAgent.substring(0, Math.min(userAgent.length(), MAX_USER_AGENT));
        Key key = new Key(remote.getAddress().getHostAddress(), agent, stream.get());
        boolean playlist = file.getFileName().toString().endsWith(".m3u8");
        Session session;
        synchronized (this) {
            session = sessions.get(key);
            if (session == null) {
                if (!playlist || !admit(key)) {
                    return;
                }
                session = new Session(key, clients.open(Client.Protocol.HLS, remote, 0));
                sessions.put(key, session);
                perAddress.merge(key.address(), 1, Integer::sum);
            }
        }
        LiveStream live = registry.find(key.stream()).orElse(null);
        synchronized (session) {
            session.lastNanos = System.nanoTime();
            session.client.addBytesOut(bytes);
            if (live != null && live != session.stream && !ended(session)) {
                if (session.stream != null) {
                    session.stream.unwatch(session.client);
                }
                session.stream = live;
                live.watch(session.client);
            }
        }
    }

    private boolean admit(Key key) {
        if (sessions.size() < limits.max() && perAddress.getOrDefault(key.address(), 0) < limits.perAddress()) {
            return true;
        }
        if (!warned) {
            warned = true;
            log.warn("hls sessions: no session for {} on {}: at most {} in total and {} per address; further HLS "
                    + "viewers are served but not counted (logged once)", key.address(), key.stream(), limits.max(),
                    limits.perAddress());
        }
        return false;
    }

    private synchronized boolean ended(Session session) {
        return sessions.get(session.key) != session;
    }

    /** Sessions alive now. */
    public synchronized int size() {
        return sessions.size();
    }

    private void expire() {
        long now = System.nanoTime();
        long idle = limits.idle().toNanos();
        List<Session> expired = new ArrayList<>();
        synchronized (this) {
            for (Session session : sessions.values()) {
                if (now - session.lastNanos >= idle) {
                    expired.add(session);
                }
            }
        }
        expired.forEach(this::end);
    }

    private void end(Session session) {
        synchronized (this) {
            if (!sessions.remove(session.key, session)) {
                return;
            }
            perAddress.computeIfPresent(session.key.address(), (address, count) -> count == 1 ? null : count - 1);
        }
        synchronized (session) {
            if (session.stream != null) {
                session.stream.unwatch(session.client);
                session.stream = null;
            }
        }
        clients.close(session.client);
    }

    /** Ends every session. */
    @Override
    public void close() {
        expiry.shutdownNow();
        List<Session> all;
        synchronized (this) {
            all = List.copyOf(sessions.values());
        }
        all.forEach(this::end);
    }

    @Override
    public String toString() {
        return "HlsSessions[" + size() + "]";
    }
}
