package onair.stats;

import onair.config.ApplicationConfig;
import onair.config.RtmpServerConfig;
import onair.config.ServerConfig;
import onair.directory.DirectorySnapshot;
import onair.exec.ChildSnapshot;
import onair.exec.ExecCounters;
import onair.exec.ExecSupervisor;
import onair.relay.RelaySnapshot;
import onair.stream.Client;
import onair.stream.Clients;
import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.stream.StreamRegistry;
import onair.stream.StreamStats;
import onair.stream.Subscriber;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Everything the statistics pages show, taken at one moment: server-wide counters, then per server block (in
 * configuration order), application and live stream the stream's statistics and its clients, publisher first.
 * Every renderer ({@link StatXml}, {@link StatJson}, {@link PrometheusMetrics}) reads one of these.
 *
 * @param connections client connections open now
 * @param exec        the exec children and their counters
 * @param directory   the scale-out directory's state; null without a {@code directory}
 */
public record StatSnapshot(String version, long pid, long uptimeSeconds, long accepted, int connections,
        long bandwidthIn, long bytesIn, long bandwidthOut, long bytesOut, List<Server> servers, Exec exec,
        DirectorySnapshot directory) {

    /** Onair's version, from the jar manifest, or "dev" when run from classes. */
    public static final String VERSION = versionOf(StatSnapshot.class.getPackage().getImplementationVersion());

    /** The server's exec children, oldest first, and its counters since start-up. */
    public record Exec(ExecCounters counters, List<ChildSnapshot> children) {

        /** What {@code supervisor} holds now. */
        public static Exec of(ExecSupervisor supervisor) {
            return new Exec(supervisor.counters(), supervisor.snapshot());
        }
    }

    /** One {@code server} block of the {@code rtmp} section, as nginx-rtmp's {@code <server>} element. */
    public record Server(int index, List<Application> applications) {}

    public record Application(String name, List<Stream> streams) {

        /** Clients of this application's streams. */
        public int clientCount() {
            return streams.stream().mapToInt(stream -> stream.clients().size()).sum();
        }
    }

    /**
     * A live stream with its statistics; {@code clients} holds only client connections (subscribers with a client,
     * then {@link LiveStream#viewers() HLS sessions}), not internal consumers; {@code relays} its configured pushes
     * and pulls.
     */
    public record Stream(String name, StreamStats stats, List<Entry> clients, List<RelaySnapshot> relays) {

        /** Subscribed client connections by protocol label ("rtmp", "http-flv", …), sorted by label. */
        public Map<String, Integer> viewersByProtocol() {
            Map<String, Integer> viewers = new TreeMap<>();
            for (Entry entry : clients) {
                if (!entry.publishing()) {
                    viewers.merge(entry.client().protocol().label, 1, Integer::sum);
                }
            }
            return viewers;
        }
    }

    /**
     * A client's part in a stream, as nginx-rtmp's {@code <client>} element: {@code active} while the stream has a
     * publisher; {@code dropped} frames skipped for this subscriber (0 for the publisher).
     */
    public record Entry(Client client, boolean publishing, boolean active, long dropped) {}

    /** Reads the configuration's servers and applications, and the registry's streams in each application. */
    public static StatSnapshot take(ServerConfig config, StreamRegistry registry, Clients clients, Exec exec) {
        return take(config, registry, clients, exec, key -> List.of());
    }

    /** Like {@link #take(ServerConfig, StreamRegistry, Clients, Exec)}, with each stream's {@code relays}. */
    public static StatSnapshot take(ServerConfig config, StreamRegistry registry, Clients clients, Exec exec,
            Function<StreamKey, List<RelaySnapshot>> relays) {
        return take(config, registry, clients, exec, relays, null);
    }

    /**
     * Like {@link #take(ServerConfig, StreamRegistry, Clients, Exec, Function)}, with the directory's state (null
     * without one).
     */
    public static StatSnapshot take(ServerConfig config, StreamRegistry registry, Clients clients, Exec exec,
            Function<StreamKey, List<RelaySnapshot>> relays, DirectorySnapshot directory) {
        Map<String, List<LiveStream>> byApp = new TreeMap<>();
        for (LiveStream stream : registry.streams()) {
            byApp.computeIfAbsent(stream.key().app(), app -> new ArrayList<>()).add(stream);
        }
        List<Server> servers = new ArrayList<>();
        List<RtmpServerConfig> blocks = config.rtmpServers();
        for (int index = 0; index < blocks.size(); index++) {
            List<Application> applications = new ArrayList<>();
            for (ApplicationConfig app : blocks.get(index).applications()) {
                List<Stream> streams = byApp.getOrDefault(app.name(), List.of()).stream()
                    .sorted(Comparator.comparing(stream -> stream.key().name()))
                    .map(stream -> stream(stream, relays.apply(stream.key())))
                    .toList();
                applications.add(new Application(app.name(), streams));
            }
            servers.add(new Server(index, applications));
        }
        return new StatSnapshot(VERSION, ProcessHandle.current().pid(), clients.uptimeSeconds(), clients.accepted(),
            clients.openCount(), clients.bandwidthIn(), clients.bytesIn(), clients.bandwidthOut(), clients.bytesOut(),
            servers, exec, directory);
    }

    private static Stream stream(LiveStream live, List<RelaySnapshot> relays) {
        StreamStats stats = live.stats();
        List<Entry> entries = new ArrayList<>();
        live.publisher().ifPresent(publisher -> entries.add(new Entry(publisher, true, true, 0)));
        for (Subscriber subscriber : live.subscribers()) {
            if (subscriber.client() != null) {
                entries.add(new Entry(subscriber.client(), false, stats.live(), subscriber.droppedFrames()));
            }
        }
        for (Client viewer : live.viewers()) {
            entries.add(new Entry(viewer, false, stats.live(), 0));
        }
        return new Stream(live.key().name(), stats, List.copyOf(entries), List.copyOf(relays));
    }

    private static String versionOf(String implementationVersion) {
        return implementationVersion == null ? "dev" : implementationVersion;
    }
}
