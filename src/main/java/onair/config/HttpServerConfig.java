package onair.config;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A {@code server} block of the {@code http} section: where it listens and its locations.
 *
 * @param ssl the TLS settings of its {@code listen ... ssl} addresses; null when it has none
 * @param maxConnectionsPerAddress Onair's {@code max_connections_per_address}: connections one remote address holds
 *                                 at once, 0 for no limit
 */
public record HttpServerConfig(List<Listen> listens, SslConfig ssl, List<HttpLocation> locations,
        int maxConnectionsPerAddress) {

    static final Settings SETTINGS = new Settings();
    static final Setting<Integer> MAX_CONNECTIONS_PER_ADDRESS =
            SETTINGS.value("max_connections_per_address", Context.HTTP_SERVERS, 0, Units::limit);

    /** A server block without a per-address limit. */
    public HttpServerConfig(List<Listen> listens, SslConfig ssl, List<HttpLocation> locations) {
        this(listens, ssl, locations, 0);
    }

    public HttpServerConfig {
        listens = List.copyOf(listens);
        locations = List.copyOf(locations);
        if (ssl == null && listens.stream().anyMatch(Listen::ssl)) {
            throw new IllegalArgumentException("a listen with ssl needs the ssl settings");
        }
    }

    /**
     * The location that answers {@code path} (already decoded and normalised), chosen as nginx does without regular
     * expressions: an exact ({@code =}) match first, otherwise the longest matching prefix.
     */
    public Optional<HttpLocation> location(String path) {
        for (HttpLocation location : locations) {
            if (location.exact() && location.path().equals(path)) {
                return Optional.of(location);
            }
        }
        return locations.stream()
                .filter(location -> !location.exact() && path.startsWith(location.path()))
                .max(Comparator.comparingInt(location -> location.path().length()));
    }
}
