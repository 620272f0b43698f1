package onair.stats;

import onair.config.ServerConfig;
import onair.directory.DirectorySnapshot;
import onair.exec.ExecSupervisor;
import onair.relay.RelaySnapshot;
import onair.stream.Clients;
import onair.stream.StreamKey;
import onair.stream.StreamRegistry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The statistics endpoints without the HTTP: {@code rtmp_stat} (XML, or JSON on {@code ?format=json} or an
 * {@code Accept} asking for JSON only) and the Prometheus {@code /metrics} page, each from a fresh snapshot.
 */
public final class StatPages {

    private static final String STYLESHEET = bundled("stat.xsl");

    private final Supplier<ServerConfig> config;
    private final StreamRegistry registry;
    private final Clients clients;
    private final ExecSupervisor exec;
    private final Function<StreamKey, List<RelaySnapshot>> relays;
    private final Supplier<DirectorySnapshot> directory;

    public StatPages(Supplier<ServerConfig> config, StreamRegistry registry, Clients clients, ExecSupervisor exec) {
        this(config, registry, clients, exec, key -> List.of());
    }

    /** Pages that also show each stream's configured relays, as {@code relays} answers them. */
    public StatPages(Supplier<ServerConfig> config, StreamRegistry registry, Clients clients, ExecSupervisor exec,
            Function<StreamKey, List<RelaySnapshot>> relays) {
        this(config, registry, clients, exec, relays, () -> null);
    }

    /** Pages that also show the relays and the directory's state ({@code directory} answers null without one). */
    public StatPages(Supplier<ServerConfig> config, StreamRegistry registry, Clients clients, ExecSupervisor exec,
            Function<StreamKey, List<RelaySnapshot>> relays, Supplier<DirectorySnapshot> directory) {
        this.config = config;
        this.registry = registry;
        this.clients = clients;
        this.exec = exec;
        this.relays = relays;
        this.directory = directory;
    }

    public StatSnapshot snapshot() {
        return StatSnapshot.take(config.get(), registry, clients, StatSnapshot.Exec.of(exec), relays, directory.get());
    }

    /**
     * The {@code rtmp_stat} page.
     *
     * @param query      decoded query arguments ({@code format=json|xml})
     * @param accept     the request's {@code Accept} header, or null
     * @param sections   the {@code rtmp_stat} sections of the location
     * @param stylesheet the {@code rtmp_stat_stylesheet} of the location, or null
     */
    public Reply stat(Map<String, List<String>> query, String accept, Set<StatSection> sections, String stylesheet) {
        List<String> format = query.getOrDefault("format", List.of());
        boolean json = format.isEmpty() ? wantsJson(accept) : format.getFirst().equalsIgnoreCase("json");
        StatSnapshot snapshot = snapshot();
        return json
            ? new Reply(200, StatJson.CONTENT_TYPE, StatJson.render(snapshot, sections))
            : new Reply(200, StatXml.CONTENT_TYPE, StatXml.render(snapshot, sections, stylesheet));
    }

    /**
     * nginx-rtmp's {@code stat.xsl} (BSD licence), bundled: a request for {@code stat.xsl} under a stat location gets
     * it, so {@code rtmp_stat_stylesheet stat.xsl;} works without a copy on disk.
     */
    public Reply stylesheet() {
        return new Reply(200, "text/xsl; charset=utf-8", STYLESHEET);
    }

    /** The Prometheus page. */
    public Reply metrics() {
        return new Reply(200, PrometheusMetrics.CONTENT_TYPE, PrometheusMetrics.render(snapshot()));
    }

    private static String bundled(String name) {
        try (InputStream in = StatPages.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("onair/stats/" + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean wantsJson(String accept) {
        return accept != null && accept.contains("application/json") && !accept.contains("xml");
    }
}
