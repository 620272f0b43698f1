package onair.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The static relays of an application (nginx-rtmp's {@code ngx_rtmp_relay_module}, reference §6): its {@code push}
 * and {@code pull} lines with their reconnect delays, {@code session_relay}, {@code relay_buffer}, and Onair's
 * {@code relay_ssl_trusted_certificate} for {@code rtmps://} targets. Host names are resolved when the configuration
 * loads, as nginx-rtmp does.
 *
 * @param pushes             the {@code push} lines, in configuration order
 * @param pulls              the {@code pull} lines: an ordered failover list
 * @param pushReconnect      {@code push_reconnect}: the first delay before a push connects again
 * @param pullReconnect      {@code pull_reconnect}: the first delay before a pull connects again
 * @param sessionRelay       {@code session_relay}: accepted; a relay always ends with the stream it serves
 * @param relayBuffer        {@code relay_buffer}: the buffer length a pull asks the remote for
 * @param trustedCertificate {@code relay_ssl_trusted_certificate}: PEM file of CAs trusted for {@code rtmps://};
 *                           null for the JDK's trust store
 * @param trusted            the certificates read from {@code trustedCertificate}, empty without it
 * @param directoryPull      {@code directory_pull}: a player of a stream not live here pulls it from the origins the
 *                           {@code directory} answers, before the {@code pull} lines
 */
public record RelayConfig(List<Target> pushes, List<Target> pulls, Duration pushReconnect, Duration pullReconnect,
        boolean sessionRelay, Duration relayBuffer, Path trustedCertificate, List<X509Certificate> trusted,
        boolean directoryPull) {

    public static final Duration DEFAULT_RECONNECT = Duration.ofSeconds(3);

    /** No relays, nginx-rtmp's defaults. */
    public static final RelayConfig OFF = new RelayConfig(List.of(), List.of(), DEFAULT_RECONNECT, DEFAULT_RECONNECT,
        false, Duration.ofMillis(5000), null, List.of(), false);

    /** nginx-rtmp's multi-worker directives: accepted where nginx takes them and noted once as not needed. */
    static final Set<String> AUTO_PUSH = Set.of("rtmp_auto_push", "rtmp_auto_push_reconnect", "rtmp_socket_dir");

    static final Settings SETTINGS = new Settings();
    static final Setting<List<Target>> PUSH = SETTINGS.list(List.of("push"), Set.of(Context.APPLICATION), 1,
        Integer.MAX_VALUE, d -> target(d, false));
    static final Setting<List<Target>> PULL = SETTINGS.list(List.of("pull"), Set.of(Context.APPLICATION), 1,
        Integer.MAX_VALUE, d -> target(d, true));
    static final Setting<Duration> PUSH_RECONNECT = SETTINGS.value("push_reconnect", Context.APPLICATIONS,
        DEFAULT_RECONNECT, Units::positiveTime);
    static final Setting<Duration> PULL_RECONNECT = SETTINGS.value("pull_reconnect", Context.APPLICATIONS,
        DEFAULT_RECONNECT, Units::positiveTime);
    static final Setting<Boolean> SESSION_RELAY = SETTINGS.flag("session_relay", Context.APPLICATIONS, false);
    static final Setting<Duration> RELAY_BUFFER = SETTINGS.value("relay_buffer", Context.CORE,
        OFF.relayBuffer(), Units::time);
    static final Setting<Boolean> DIRECTORY_PULL = SETTINGS.flag("directory_pull", Context.APPLICATIONS, false);
    static final Setting<Path> TRUSTED_CERTIFICATE = SETTINGS.path("relay_ssl_trusted_certificate",
        Context.APPLICATIONS);

    /**
     * One {@code push} or {@code pull} line: where it connects and what it sends there.
     *
     * @param url      the URL as configured (it may hold a stream key: never shown)
     * @param tls      {@code rtmps://}
     * @param host     the host as written, for TLS's server name and certificate check
     * @param address  the host's address, resolved when the configuration loaded
     * @param app      the remote application: {@code app=}, else the URL's first path segment; null for the local one
     * @param playPath the remote stream: {@code playPath=}, else the rest of the URL's path and query; null for the
     *                 local stream's name
     * @param name     {@code name=}: only the local stream of this name is relayed; null for every stream
     * @param tcUrl    {@code tcUrl=}; null for {@code scheme://host:port/app}
     * @param start    {@code start=}: the play start of a pull, in seconds; null for live-then-recorded (-2)
     * @param stop     {@code stop=}: where a pull's play stops, in seconds; null for the whole stream
     * @param isStatic {@code static}: a pull that runs from start-up, without players
     */
    public record Target(String url, boolean tls, String host, InetAddress address, int port, String app,
            String playPath, String name, String tcUrl, String pageUrl, String swfUrl, String flashVer, Integer live,
            Integer start, Integer stop, boolean isStatic) {

        public Target {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(address, "address");
        }

        /** {@code scheme://host:port/app} without the stream part, which may be a secret key. */
        public String shown(String localApp) {
            return (tls ? "rtmps" : "rtmp") + "://" + host + ":" + port + "/" + (app == null ? localApp : app);
        }

        /** Whether this line relays the local stream {@code streamName}. */
        public boolean appliesTo(String streamName) {
            return name == null || name.equals(streamName);
        }
    }

    public RelayConfig {
        pushes = List.copyOf(pushes);
        pulls = List.copyOf(pulls);
        Objects.requireNonNull(pushReconnect, "pushReconnect");
        Objects.requireNonNull(pullReconnect, "pullReconnect");
        Objects.requireNonNull(relayBuffer, "relayBuffer");
        trusted = List.copyOf(trusted);
    }

    /** The relay settings of {@code app}; {@code push} and {@code pull} lines are the application's own. */
    static RelayConfig from(Scope app) {
        Path trustedFile = app.get(TRUSTED_CERTIFICATE);
        List<X509Certificate> trusted = List.of();
        if (trustedFile != null) {
            try {
                trusted = Pem.certificates(trustedFile);
            } catch (IllegalArgumentException e) {
                throw ConfigException.at(app.where(TRUSTED_CERTIFICATE).orElseThrow(),
                    "cannot load certificate \"" + trustedFile + "\": " + e.getMessage());
            }
        }
        boolean directoryPull = app.get(DIRECTORY_PULL);
        if (directoryPull && !app.get(DirectoryConfig.DIRECTORY).active()) {
            throw ConfigException.at(app.where(DIRECTORY_PULL).orElseThrow(),
                "\"directory_pull on\" needs a \"directory\"");
        }
        return new RelayConfig(app.own(PUSH).orElse(List.of()), app.own(PULL).orElse(List.of()),
            app.get(PUSH_RECONNECT), app.get(PULL_RECONNECT), app.get(SESSION_RELAY), app.get(RELAY_BUFFER),
            trustedFile, trusted, directoryPull);
    }

    /** Whether any {@code push} or {@code pull} line is configured. */
    public boolean active() {
        return !pushes.isEmpty() || !pulls.isEmpty();
    }

    /**
     * The push target of {@code url} with no other argument, as the control API starts one; the host is resolved now.
     *
     * @throws IllegalArgumentException for a URL a {@code push} line would refuse
     */
    public static Target push(String url) {
        try {
            return target(new Directive("push", List.of(url), null, "url", 0), false);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage().replaceFirst("^url:0: ", ""), e);
        }
    }

    /** Checks an {@link #AUTO_PUSH} directive and returns the note that it is not needed. */
    static String autoPush(Directive d) {
        if (d.block() != null) {
            throw ConfigException.at(d, "directive \"" + d.name() + "\" is not terminated by \";\"");
        }
        if (d.args().size() != 1) {
            throw ConfigException.invalidArgumentCount(d);
        }
        switch (d.name()) {
            case "rtmp_auto_push" -> Setting.joined(Units::flag).apply(d);
            case "rtmp_auto_push_reconnect" -> Setting.joined(Units::time).apply(d);
            default -> { }
        }
        return d.location() + ": directive \"" + d.name() + "\" is not needed (one Onair process serves all cores)";
    }

    private static Target target(Directive d, boolean pull) {
        URI uri = uri(d);
        boolean tls = uri.getScheme().equalsIgnoreCase("rtmps");
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "" : uri.getRawPath().substring(1);
        int slash = path.indexOf('/');
        String app = slash < 0 ? (path.isEmpty() ? null : path) : path.substring(0, slash);
        String playPath = slash < 0 || slash == path.length() - 1 ? null : path.substring(slash + 1);
        if (playPath != null && uri.getRawQuery() != null) {
            playPath += "?" + uri.getRawQuery();
        }
        String name = null;
        String tcUrl = null;
        String pageUrl = null;
        String swfUrl = null;
        String flashVer = null;
        Integer live = null;
        Integer start = null;
        Integer stop = null;
        boolean isStatic = false;
        for (String arg : d.args().subList(1, d.args().size())) {
            if (arg.equals("static")) {
                isStatic = true;
                continue;
            }
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw ConfigException.at(d, "invalid parameter \"" + arg + "\" in \"" + d.name()
                    + "\": key=value expected");
            }
            String value = arg.substring(eq + 1);
            if (value.isEmpty()) {
                continue;
            }
            switch (arg.substring(0, eq).toLowerCase(Locale.ROOT)) {
                case "app" -> app = value;
                case "name" -> name = value;
                case "playpath" -> playPath = value;
                case "tcurl" -> tcUrl = value;
                case "pageurl" -> pageUrl = value;
                case "swfurl" -> swfUrl = value;
                case "flashver" -> flashVer = value;
                case "live" -> live = number(d, arg, value);
                case "start" -> start = number(d, arg, value);
                case "stop" -> stop = number(d, arg, value);
                default -> throw ConfigException.at(d, "unsupported parameter \"" + arg + "\" in \"" + d.name()
                    + "\"");
            }
        }
        if (isStatic && !pull) {
            throw ConfigException.at(d, "static push is not allowed");
        }
        if (isStatic && name == null) {
            throw ConfigException.at(d, "stream name missing in static pull declaration (add name=NAME)");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw ConfigException.at(d, "host not found in \"" + d.name() + "\" url: " + uri.getHost());
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : tls ? 443 : 1935;
        return new Target(d.args().getFirst(), tls, uri.getHost(), address, port, app, playPath, name, tcUrl, pageUrl,
            swfUrl, flashVer, live, start, stop, isStatic);
    }

    private static URI uri(Directive d) {
        String url = d.args().getFirst();
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw ConfigException.at(d, "invalid url in \"" + d.name() + "\": " + e.getReason());
        }
        if (uri.getScheme() == null || !(uri.getScheme().equalsIgnoreCase("rtmp")
            || uri.getScheme().equalsIgnoreCase("rtmps"))) {
            throw ConfigException.at(d, "invalid url in \"" + d.name() + "\": not rtmp:// or rtmps://");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw ConfigException.at(d, "invalid url in \"" + d.name() + "\": rtmp[s]://host[:port]/app/name expected");
        }
        return uri;
    }

    private static int number(Directive d, String arg, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw ConfigException.at(d, "invalid number \"" + arg + "\" in \"" + d.name() + "\"");
        }
    }
}
