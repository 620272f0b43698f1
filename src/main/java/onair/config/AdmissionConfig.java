package onair.config;

import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What decides whether a connection, publish or play is admitted, and who hears about it: nginx-rtmp's HTTP callbacks
 * (reference §8), its {@code allow}/{@code deny} rules (§2) and application {@code max_connections} (§12), plus
 * Onair's publish tokens. Merged rtmp → server → application like every other setting.
 *
 * @param callbacks             the URL of each configured callback
 * @param updateTimeout         period of {@code on_update}; {@link Duration#ZERO} disables it
 * @param relayRedirect         {@code notify_relay_redirect}: an {@code rtmp://} redirect names the local stream after
 *                              the hex MD5 of the URL instead of keeping the requested name
 * @param netcallTimeout        bound on one callback request, connect to response headers
 * @param trustedCertificate    {@code notify_ssl_trusted_certificate}: PEM file of the CAs or self-signed certificates
 *                              trusted for {@code https://} callbacks; null for the JDK's default trust store
 * @param trusted               the certificates read from {@code trustedCertificate}, empty without it
 * @param access                {@code allow}/{@code deny} rules in evaluation order: the application's own, then its
 *                              server's, then the {@code rtmp} block's (nginx-rtmp appends inherited rules)
 * @param maxConnections        connections one application holds at once, 0 for no limit (set only in the block itself)
 * @param publishTokenSecret    {@code publish_token_secret}: publishers must carry a valid token; null when off
 */
public record AdmissionConfig(Map<Callback, URI> callbacks, Method method, Duration updateTimeout, boolean updateStrict,
        boolean relayRedirect, Duration netcallTimeout, Path trustedCertificate, List<X509Certificate> trusted, List<AccessRule> access,
        int maxConnections, String publishTokenSecret) {

    /** Nothing configured: no callbacks, no rules, no limit, no token. */
    public static final AdmissionConfig DEFAULT = new AdmissionConfig(Map.of(), Method.POST, Duration.ofSeconds(30), false,
            false, Duration.ofSeconds(10), null, List.of(), List.of(), 0, null);

    static final Settings SETTINGS = new Settings();
    static final Map<Callback, Setting<URI>> CALLBACKS = callbackSettings();
    static final Setting<Method> METHOD =
            SETTINGS.value("notify_method", Context.APPLICATIONS, Method.POST, Units::notifyMethod);
    static final Setting<Duration> UPDATE_TIMEOUT =
            SETTINGS.value("notify_update_timeout", Context.APPLICATIONS, DEFAULT.updateTimeout(), Units::time);
    static final Setting<Boolean> UPDATE_STRICT = SETTINGS.flag("notify_update_strict", Context.APPLICATIONS, false);
    static final Setting<Boolean> RELAY_REDIRECT = SETTINGS.flag("notify_relay_redirect", Context.APPLICATIONS, false);
    static final Setting<Duration> NETCALL_TIMEOUT =
            SETTINGS.value("netcall_timeout", Context.CORE, DEFAULT.netcallTimeout(), Units::positiveTime);
    static final Setting<Path> TRUSTED_CERTIFICATE =
            SETTINGS.path("notify_ssl_trusted_certificate", Context.APPLICATIONS);
    static final Setting<String> PUBLISH_TOKEN_SECRET =
            SETTINGS.value("publish_token_secret", Context.APPLICATIONS, null, Units::tokenSecret);
    /** nginx-rtmp's {@code allow|deny [publish|play] ADDRESS|all}; accepted in {@code recorder} blocks too. */
    static final Setting<List<AccessRule>> ACCESS = SETTINGS.list(List.of("allow", "deny"), Context.RECORDERS, 1, 3,
            Setting.checked(d -> AccessRule.parse(d.name().equals("allow"), d.args())));

    /** {@code notify_method}: form arguments in a POST body, or in the query of a GET. */
    public enum Method { GET, POST }

    /** The callbacks, each with its directive and the {@code call=} value it sends. */
    public enum Callback {
        CONNECT("on_connect", "connect"),
        DISCONNECT("on_disconnect", "disconnect"),
        PUBLISH("on_publish", "publish"),
        PLAY("on_play", "play"),
        PUBLISH_DONE("on_publish_done", "publish_done"),
        PLAY_DONE("on_play_done", "play_done"),
        DONE("on_done", "done"),
        RECORD_STARTED("on_record_started", "record_started"),
        RECORD_DONE("on_record_done", "record_done"),
        UPDATE("on_update", "update");

        private final String directive;
        private final String call;

        Callback(String directive, String call) {
            this.directive = directive;
            this.call = call;
        }

        public String directive() {
            return directive;
        }

        public String call() {
            return call;
        }
    }

    public AdmissionConfig {
        callbacks = callbacks.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(callbacks));
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(updateTimeout, "updateTimeout");
        Objects.requireNonNull(netcallTimeout, "netcallTimeout");
        trusted = List.copyOf(trusted);
        access = List.copyOf(access);
    }

    public Optional<URI> url(Callback callback) {
        return Optional.ofNullable(callbacks.get(callback));
    }

    /** Whether publishes and plays get {@code on_update} calls: {@code on_update} set and a non-zero period. */
    public boolean updates() {
        return url(Callback.UPDATE).isPresent() && !updateTimeout.isZero();
    }

    /**
     * The admission settings in force in a server or an application block; only an application's own
     * {@code max_connections} limits it.
     */
    static AdmissionConfig from(Scope scope) {
        Map<Callback, URI> callbacks = new EnumMap<>(Callback.class);
        CALLBACKS.forEach((callback, setting) -> scope.find(setting).ifPresent(url -> callbacks.put(callback, url)));
        Path trustedFile = scope.get(TRUSTED_CERTIFICATE);
        List<X509Certificate> trusted = List.of();
        if (trustedFile != null) {
            try {
                trusted = Pem.certificates(trustedFile);
            } catch (IllegalArgumentException e) {
                throw ConfigException.at(scope.where(TRUSTED_CERTIFICATE).orElseThrow(),
                        "cannot load certificate \"" + trustedFile + "\": " + e.getMessage());
            }
        }
        int maxConnections = scope.context() == Context.APPLICATION
                ? scope.own(RtmpServerConfig.MAX_CONNECTIONS).orElse(0) : 0;
        return new AdmissionConfig(callbacks, scope.get(METHOD), scope.get(UPDATE_TIMEOUT), scope.get(UPDATE_STRICT),
                scope.get(RELAY_REDIRECT), scope.get(NETCALL_TIMEOUT), trustedFile, trusted, scope.collect(ACCESS),
                maxConnections, scope.get(PUBLISH_TOKEN_SECRET));
    }

    private static Map<Callback, Setting<URI>> callbackSettings() {
        Map<Callback, Setting<URI>> settings = new EnumMap<>(Callback.class);
        for (Callback callback : Callback.values()) {
            settings.put(callback, SETTINGS.value(callback.directive(), switch (callback) {
                case CONNECT, DISCONNECT -> Context.CORE;
                case RECORD_STARTED, RECORD_DONE -> Context.RECORDERS;
                default -> Context.APPLICATIONS;
            }, null, Units::callbackUrl));
        }
        return Collections.unmodifiableMap(settings);
    }
}
