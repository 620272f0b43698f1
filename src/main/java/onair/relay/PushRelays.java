package onair.relay;

import onair.config.ApplicationConfig;
import onair.config.RelayConfig;
import onair.lifecycle.DoneEvent;
import onair.lifecycle.PublishEvent;
import onair.lifecycle.StreamListener;
import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.stream.StreamRegistry;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * nginx-rtmp's {@code push}: each published stream of an application with {@code push} lines is pushed to every
 * line that applies to its name, one {@link PushTarget} per line, from the start of the publish to its end. Targets
 * can also be started and stopped on a live stream without a restart ({@code /control/relay/push/start|stop}).
 */
public final class PushRelays implements StreamListener {

    /** The chunk size relays announce: nginx-rtmp's default {@code chunk_size}. */
    static final int CHUNK_SIZE = 4096;

    private final StreamRegistry registry;
    private final RelayNet net;
    private final Map<StreamKey, List<PushTarget>> pushes = new ConcurrentHashMap<>();

    public PushRelays(StreamRegistry registry, RelayNet net) {
        this.registry = registry;
        this.net = net;
    }

    @Override
    public void onPublishStarted(PublishEvent event) {
        List<RelayConfig.Target> lines = event.app().relay().pushes().stream()
            .filter(line -> line.appliesTo(event.name())).toList();
        if (lines.isEmpty()) {
            return;
        }
        StreamKey key = new StreamKey(event.app().name(), event.name());
        LiveStream live = registry.find(key).orElse(null);
        if (live == null) {
            return;
        }
        List<PushTarget> targets = new CopyOnWriteArrayList<>();
        lines.forEach(line -> targets.add(target(event.app(), live, line)));
        stopAll(pushes.put(key, targets));
        targets.forEach(PushTarget::start);
    }

    @Override
    public void onPublishDone(DoneEvent event) {
        stopAll(pushes.remove(new StreamKey(event.app().name(), event.name())));
    }

    /**
     * Starts a push of the live stream {@code key} to {@code url}: 1 when started, 0 when that stream already has a
     * target of this URL running.
     *
     * @throws IllegalArgumentException for a bad URL, or a stream that is not published here
     */
    public int start(ApplicationConfig app, String name, String url) {
        StreamKey key = new StreamKey(app.name(), name);
        LiveStream live = registry.find(key).filter(LiveStream::isLive)
            .orElseThrow(() -> new IllegalArgumentException("stream " + key + " is not published"));
        List<PushTarget> targets = pushes.computeIfAbsent(key, unused -> new CopyOnWriteArrayList<>());
        if (targets.stream().anyMatch(target -> target.isFor(url) && target.state() != RelayState.STOPPED)) {
            return 0;
        }
        RelayConfig.Target line = app.relay().pushes().stream().filter(push -> push.url().equals(url)).findFirst()
            .orElseGet(() -> RelayConfig.push(url));
        PushTarget target = target(app, live, line);
        targets.removeIf(old -> old.isFor(url));
        targets.add(target);
        target.start();
        return 1;
    }

    /** Stops the push targets of stream {@code key} made for {@code url}; answers how many were stopped. */
    public int stop(StreamKey key, String url) {
        List<PushTarget> targets = pushes.getOrDefault(key, List.of());
        List<PushTarget> stopped = targets.stream().filter(target -> target.isFor(url)).toList();
        stopped.forEach(PushTarget::stop);
        targets.removeAll(stopped);
        return stopped.size();
    }

    /** The push targets of stream {@code key}, in the order they were started. */
    public List<RelaySnapshot> snapshot(StreamKey key) {
        return pushes.getOrDefault(key, List.of()).stream().map(PushTarget::snapshot).toList();
    }

    private PushTarget target(ApplicationConfig app, LiveStream live, RelayConfig.Target line) {
        RelayConfig relay = app.relay();
        Remote remote = Remote.of(line, app.name(), live.key().name(), relay.relayBuffer());
        return new PushTarget(line.url(), remote, live, net, line.tls() ? net.tls(relay.trusted()) : null, CHUNK_SIZE,
            relay.pushReconnect());
    }

    private static void stopAll(List<PushTarget> targets) {
        if (targets != null) {
            targets.forEach(PushTarget::stop);
        }
    }
}
