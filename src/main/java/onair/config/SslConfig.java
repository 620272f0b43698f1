package onair.config;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * The TLS settings of a server with a {@code listen ... ssl}: the certificate chain and key, already read from their
 * PEM files and checked to match, and the protocols and cipher suites to enable.
 *
 * @param ciphers JDK cipher suite names from {@code ssl_ciphers}; empty for the JDK's defaults
 */
public record SslConfig(Path certificate, Path certificateKey, List<X509Certificate> certificateChain,
        PrivateKey key, List<String> protocols, List<String> ciphers) {

    static final Settings SETTINGS = new Settings();
    static final Setting<Path> CERTIFICATE = SETTINGS.path("ssl_certificate", Context.TLS);
    static final Setting<Path> CERTIFICATE_KEY = SETTINGS.path("ssl_certificate_key", Context.TLS);
    static final Setting<List<String>> PROTOCOLS =
            SETTINGS.words("ssl_protocols", Context.TLS, List.of("TLSv1.2", "TLSv1.3"), Units::sslProtocols);
    static final Setting<List<String>> CIPHERS = SETTINGS.value("ssl_ciphers", Context.TLS, List.of(), Units::sslCiphers);

    public SslConfig {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(certificateKey, "certificateKey");
        Objects.requireNonNull(key, "key");
        certificateChain = List.copyOf(certificateChain);
        protocols = List.copyOf(protocols);
        ciphers = List.copyOf(ciphers);
    }

    /** The TLS settings in force for {@code listen ... ssl}, with the certificate and key read from their files. */
    static SslConfig from(Scope scope, Directive listen) {
        Path certificate = scope.get(CERTIFICATE);
        if (certificate == null) {
            throw ConfigException.at(listen, "no \"ssl_certificate\" is defined for the \"listen ... ssl\" directive");
        }
        Path key = scope.get(CERTIFICATE_KEY);
        if (key == null) {
            throw ConfigException.at(listen,
                    "no \"ssl_certificate_key\" is defined for certificate \"" + certificate + "\"");
        }
        return load(certificate, scope.where(CERTIFICATE).orElseThrow(), key, scope.where(CERTIFICATE_KEY).orElseThrow(),
                scope.get(PROTOCOLS), scope.get(CIPHERS));
    }

    /** Reads and checks a certificate chain and its key; errors name the directive that gave the file. */
    private static SslConfig load(Path certificate, Directive certificateDirective, Path key, Directive keyDirective,
            List<String> protocols, List<String> ciphers) {
        List<X509Certificate> chain;
        try {
            chain = Pem.certificates(certificate);
        } catch (IllegalArgumentException e) {
            throw ConfigException.at(certificateDirective,
                    "cannot load certificate \"" + certificate + "\": " + e.getMessage());
        }
        PrivateKey privateKey;
        try {
            privateKey = Pem.privateKey(key);
            Pem.requireMatch(privateKey, chain.getFirst());
        } catch (IllegalArgumentException e) {
            throw ConfigException.at(keyDirective, "cannot load certificate key \"" + key + "\": " + e.getMessage());
        }
        return new SslConfig(certificate, key, chain, privateKey, protocols, ciphers);
    }
}
