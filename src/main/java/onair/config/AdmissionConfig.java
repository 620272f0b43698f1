package onair.config;

import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
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
}
