package onair.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The {@code dash*} directives of an application (nginx-rtmp's ngx_rtmp_dash_module, same names and defaults; the
 * clock directives are those of the maintained fork).
 *
 * @param path             {@code dash_path}; null when unset (only allowed with {@code dash off})
 * @param clock            {@code dash_clock_compensation}: the {@code UTCTiming} scheme the MPD announces
 * @param clockHelperUri   {@code dash_clock_helper_uri}: the time source it names, empty for Onair's own
 */
public record DashConfig(boolean enabled, Path path, Duration fragment, Duration playlistLength, boolean nested,
        boolean cleanup, Clock clock, String clockHelperUri) {

    static final Settings SETTINGS = new Settings();
    static final Setting<Boolean> ENABLED = SETTINGS.flag("dash", Context.APPLICATIONS, false);
    static final Setting<Path> PATH = SETTINGS.path("dash_path", Context.APPLICATIONS);
    static final Setting<Duration> FRAGMENT =
            SETTINGS.value("dash_fragment", Context.APPLICATIONS, Duration.ofSeconds(5), Units::positiveTime);
    static final Setting<Duration> PLAYLIST_LENGTH =
            SETTINGS.value("dash_playlist_length", Context.APPLICATIONS, Duration.ofSeconds(30), Units::positiveTime);
    static final Setting<Boolean> NESTED = SETTINGS.flag("dash_nested", Context.APPLICATIONS, false);
    static final Setting<Boolean> CLEANUP = SETTINGS.flag("dash_cleanup", Context.APPLICATIONS, true);
    static final Setting<Clock> CLOCK = SETTINGS.value("dash_clock_compensation", Context.APPLICATIONS, Clock.OFF,
            v -> Units.choice(v, Clock.class, "off", "ntp", "http_head", "http_iso"));
    static final Setting<String> CLOCK_HELPER_URI =
            SETTINGS.value("dash_clock_helper_uri", Context.APPLICATIONS, "", v -> v);

    /**
     * {@code dash_clock_compensation}: {@code OFF} announces Onair's own time endpoint ({@code http-iso}); the others
     * announce {@code dash_clock_helper_uri} (or, for the HTTP schemes without one, Onair's endpoint) with their
     * {@code urn:mpeg:dash:utc:*:2014} scheme.
     */
    public enum Clock {
        OFF("urn:mpeg:dash:utc:http-iso:2014"),
        NTP("urn:mpeg:dash:utc:ntp:2014"),
        HTTP_HEAD("urn:mpeg:dash:utc:http-head:2014"),
        HTTP_ISO("urn:mpeg:dash:utc:http-iso:2014");

        private final String scheme;

        Clock(String scheme) {
            this.scheme = scheme;
        }

        /** The {@code UTCTiming@schemeIdUri} of this mode. */
        public String scheme() {
            return scheme;
        }
    }

    public DashConfig {
        Objects.requireNonNull(fragment, "fragment");
        Objects.requireNonNull(playlistLength, "playlistLength");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(clockHelperUri, "clockHelperUri");
        if (enabled && path == null) {
            throw new IllegalArgumentException("dash on without dash_path");
        }
    }

    /** The DASH settings in force in the application {@code app}; combinations DASH cannot write are refused. */
    static DashConfig from(Scope app) {
        boolean enabled = app.get(ENABLED);
        Path path = app.get(PATH);
        String application = " application \"" + app.name() + "\"";
        if (enabled && path == null) {
            throw ConfigException.at(app.block(), "\"dash\" is on but no \"dash_path\" is set for" + application);
        }
        Clock clock = app.get(CLOCK);
        String helper = app.get(CLOCK_HELPER_URI);
        if (enabled && clock == Clock.NTP && helper.isEmpty()) {
            throw ConfigException.at(app.block(),
                    "\"dash_clock_compensation ntp\" needs a \"dash_clock_helper_uri\" in" + application);
        }
        return new DashConfig(enabled, path, app.get(FRAGMENT), app.get(PLAYLIST_LENGTH), app.get(NESTED),
                app.get(CLEANUP), clock, helper);
    }

    /** The settings of an application without any {@code dash*} directive. */
    public static DashConfig off() {
        return new DashConfig(false, null, Duration.ofSeconds(5), Duration.ofSeconds(30), false, true, Clock.OFF, "");
    }
}
