package onair.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@code play} directives of an application (nginx-rtmp's {@code ngx_rtmp_play_module}): the places a played name
 * is looked for as an FLV or MP4 file, in order. {@code play_temp_path} and {@code play_local_path} have no effect:
 * remote files are read with range requests instead of being downloaded first.
 *
 * @param locations local directories and {@code http://} base URLs, in configuration order
 */
public record PlayConfig(List<Location> locations) {

    public static final PlayConfig OFF = new PlayConfig(List.of());

    static final Settings SETTINGS = new Settings();
    static final Setting<List<List<Location>>> PLAY = SETTINGS.list(List.of("play"), Context.APPLICATIONS, 1,
        Integer.MAX_VALUE, Setting.checked(PlayConfig::locations));

    /** Where files are looked for: a local {@code directory} or a remote base {@code url}, exactly one of them. */
    public record Location(Path directory, URI url) {

        public Location {
            if ((directory == null) == (url == null)) {
                throw new IllegalArgumentException("a play location is a directory or a URL");
            }
        }
    }

    public PlayConfig {
        locations = List.copyOf(Objects.requireNonNull(locations, "locations"));
    }

    /** Whether the application serves files at all. */
    public boolean enabled() {
        return !locations.isEmpty();
    }

    /** As nginx-rtmp merges them: an application's own locations first, then those its server and block give. */
    static PlayConfig from(Scope app) {
        List<Location> locations = new ArrayList<>();
        for (Scope scope = app; scope != null; scope = scope.parent()) {
            scope.own(PLAY).ifPresent(lines -> lines.forEach(locations::addAll));
        }
        return new PlayConfig(locations);
    }

    private static List<Location> locations(Directive d) {
        List<Location> locations = new ArrayList<>();
        for (String arg : d.args()) {
            if (arg.startsWith("http://") || arg.startsWith("https://")) {
                locations.add(new Location(null, url(arg)));
            } else if (arg.contains("://")) {
                throw new IllegalArgumentException("play location \"" + arg + "\" is neither a directory nor an "
                    + "http:// or https:// URL");
            } else {
                locations.add(new Location(Units.relativeToFile(d, Path.of(arg)), null));
            }
        }
        return locations;
    }

    private static URI url(String text) {
        try {
            URI uri = new URI(text);
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("play URL \"" + text + "\" has no host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("play URL \"" + text + "\" is not a URL: " + e.getReason());
        }
    }
}
