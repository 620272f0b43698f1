package onair.relay;

import onair.config.ApplicationConfig;
import onair.config.RelayConfig;
import onair.config.RtmpServerConfig;
import onair.config.ServerConfig;
import onair.lifecycle.PlayEvent;
import onair.lifecycle.StreamListener;
import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.stream.StreamRegistry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * nginx-rtmp's {@code pull}: a player of a stream that is not live here, in an application with {@code pull} lines,
 * starts a {@link PullRelay} over the {@link PullSources} of that stream, which ends with the last player; the
 * {@code static} lines each pull their {@code name=} stream from start-up to shutdown, following reloads.
 */
public final class PullRelays implements StreamListener {

    private record Static(StreamKey key, String url) {}

    private final StreamRegistry registry;
    private final RelayNet net;
    private final PullSources sources;
    private final Map<StreamKey, PullRelay> pulls = new ConcurrentHashMap<>();
    private final Map<Static, PullRelay> statics = new HashMap<>();

    public PullRelays(StreamRegistry registry, RelayNet net, PullSources sources) {
        this.registry = registry;
        this.net = net;
        this.sources = sources;
    }

    @Override
    public void onPlayStarted(PlayEvent event) {
        ApplicationConfig app = event.app();
        StreamKey key = new StreamKey(app.name(), event.name());
        if (pulls.containsKey(key) || registry.find(key).map(LiveStream::isLive).orElse(false)
            || !sources.pulls(app, event.name())) {
            return;
        }
        PullRelay pull = new PullRelay(key, app.liveOptions(), () -> sources.sources(app, event.name()), registry,
            net, net.tls(app.relay().trusted()), app.relay().pullReconnect(), false,
            finished -> pulls.remove(key, finished));
        if (pulls.putIfAbsent(key, pull) == null) {
            pull.start();
        }
    }

    /** Brings the running {@code static} pulls in line with {@code config}: starts new lines, stops removed ones. */
    public synchronized void apply(ServerConfig config) {
        Map<Static, ApplicationConfig> wanted = new HashMap<>();
        Map<Static, RelayConfig.Target> lines = new HashMap<>();
        for (RtmpServerConfig server : config.rtmpServers()) {
            for (ApplicationConfig app : server.applications()) {
                for (RelayConfig.Target line : app.relay().pulls()) {
                    if (line.isStatic()) {
                        Static id = new Static(new StreamKey(app.name(), line.name()), line.url());
                        wanted.putIfAbsent(id, app);
                        lines.putIfAbsent(id, line);
                    }
                }
            }
        }
        statics.entrySet().removeIf(entry -> {
            boolean gone = !wanted.containsKey(entry.getKey());
            if (gone) {
                entry.getValue().stop();
            }
            return gone;
        });
        wanted.forEach((id, app) -> statics.computeIfAbsent(id, unused -> {
            CompletionStage<List<Remote>> remote = CompletableFuture.completedFuture(List.of(Remote.of(lines.get(id),
                app.name(), id.key().name(), app.relay().relayBuffer())));
            PullRelay pull = new PullRelay(id.key(), app.liveOptions(), () -> remote, registry, net,
                net.tls(app.relay().trusted()), app.relay().pullReconnect(), true, finished -> { });
            pull.start();
            return pull;
        }));
    }

    /** Stops every pull. */
    public synchronized void close() {
        statics.values().forEach(PullRelay::stop);
        statics.clear();
        pulls.values().forEach(PullRelay::stop);
    }

    /** The pulls into stream {@code key}: an on-demand one, then the static ones. */
    public List<RelaySnapshot> snapshot(StreamKey key) {
        List<RelaySnapshot> all = new ArrayList<>();
        Optional.ofNullable(pulls.get(key)).ifPresent(pull -> all.add(pull.snapshot()));
        synchronized (this) {
            statics.forEach((id, pull) -> {
                if (id.key().equals(key)) {
                    all.add(pull.snapshot());
                }
            });
        }
        return List.copyOf(all);
    }
}
