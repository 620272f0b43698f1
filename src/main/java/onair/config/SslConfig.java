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

    public SslConfig {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(certificateKey, "certificateKey");
        Objects.requireNonNull(key, "key");
        certificateChain = List.copyOf(certificateChain);
        protocols = List.copyOf(protocols);
        ciphers = List.copyOf(ciphers);
    }

    /** Reads and checks a certificate chain and its key; errors name the directive that gave the file. */
    static SslConfig load(Path certificate, Directive certificateDirective, Path key, Directive keyDirective,
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
