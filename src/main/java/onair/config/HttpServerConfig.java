package onair.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code server} block of the {@code http} section: where it listens, its locations and what runs before one is
 * chosen.
 *
 * @param ssl the TLS settings of its {@code listen ... ssl} addresses; null when it has none
 * @param maxConnectionsPerAddress Onair's {@code max_connections_per_address}: connections one remote address holds
 *                                 at once, 0 for no limit
 * @param rules      its own {@code return} and {@code if} directives in file order, run before a location is chosen
 * @param errorPages {@code error_page} by status code for requests without a location
 * @param maps       the {@code map} variables of the {@code http} block, by name
 * @param named      its named locations ({@code location @NAME}), by name with the {@code @}
 * @param unmatched  what answers a request no location matches: the server's own {@code root} and
 *                   {@code try_files} ({@link HttpLocation#unmatched}); null when it has neither
 */
public record HttpServerConfig(List<Listen> listens, SslConfig ssl, List<HttpLocation> locations,
        int maxConnectionsPerAddress, List<HttpRule> rules, Map<Integer, HttpRule.ErrorPage> errorPages,
        Map<String, HttpMap> maps, Map<String, HttpLocation> named, HttpLocation unmatched) {

    static final Settings SETTINGS = new Settings();
    /** nginx 1.25's {@code http2 on}: HTTP/2 on every address of the server, as {@code listen … http2} does on one. */
    static final Setting<Boolean> HTTP2 = SETTINGS.flag("http2", Context.HTTP_SERVERS, false);
    static final Setting<Integer> MAX_CONNECTIONS_PER_ADDRESS =
            SETTINGS.value("max_connections_per_address", Context.HTTP_SERVERS, 0, Units::limit);

    /** A server block with only locations: no per-address limit, rules, error pages or maps. */
    public HttpServerConfig(List<Listen> listens, SslConfig ssl, List<HttpLocation> locations) {
        this(listens, ssl, locations, 0, List.of(), Map.of(), Map.of(), Map.of(), null);
    }

    public HttpServerConfig {
        listens = List.copyOf(listens);
        locations = List.copyOf(locations);
        rules = List.copyOf(rules);
        errorPages = Map.copyOf(errorPages);
        maps = Map.copyOf(maps);
        named = Map.copyOf(named);
        if (ssl == null && listens.stream().anyMatch(Listen::ssl)) {
            throw new IllegalArgumentException("a listen with ssl needs the ssl settings");
        }
    }

    /**
     * The location that answers {@code path} (already decoded and normalised), chosen in nginx's order: an exact
     * ({@code =}) match; else the longest matching prefix, whose nested locations are searched the same way; unless
     * that prefix is {@code ^~}, the regular expressions in file order, the first match winning (its nested locations
     * searched in turn); else the longest prefix; else the server's {@link #unmatched} location.
     */
    public Optional<HttpLocation> location(String path) {
        HttpLocation found = find(locations, path).location();
        return Optional.ofNullable(found != null ? found : unmatched);
    }

    /** A level's choice, and whether it is final (an exact or a regular-expression match). */
    private record Found(HttpLocation location, boolean done) {}

    private static Found find(List<HttpLocation> level, String path) {
        HttpLocation prefix = null;
        for (HttpLocation location : level) {
            if (location.match() == HttpLocation.Match.EXACT && location.matches(path)) {
                return new Found(location, true);
            }
            if ((location.match() == HttpLocation.Match.PREFIX || location.match() == HttpLocation.Match.PREFIX_NO_REGEX)
                    && location.matches(path) && (prefix == null || location.path().length() > prefix.path().length())) {
                prefix = location;
            }
        }
        Found found = new Found(prefix, false);
        if (prefix != null && !prefix.locations().isEmpty()) {
            Found nested = find(prefix.locations(), path);
            if (nested.done()) {
                return nested;
            }
            if (nested.location() != null) {
                found = nested;
            }
        }
        if (prefix != null && prefix.match() == HttpLocation.Match.PREFIX_NO_REGEX) {
            return found;
        }
        for (HttpLocation location : level) {
            if (location.match() == HttpLocation.Match.REGEX && location.matches(path)) {
                Found nested = find(location.locations(), path);
                return new Found(nested.location() != null ? nested.location() : location, true);
            }
        }
        return found;
    }
}
