package onair.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import onair.testing.TestCertificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SslConfigTest {

    @TempDir
    static Path dir;

    private static TestCertificate rsa;
    private static TestCertificate ec;

    @BeforeAll
    static void certificates() throws IOException, NoSuchAlgorithmException {
        rsa = TestCertificate.create(dir.resolve("rsa"), "RSA");
        ec = TestCertificate.create(dir.resolve("ec"), "EC");
        byte[] pkcs8 = rsa.privateKey().getEncoded();
        assertThat(pkcs8[22]).as("PKCS#8 RSA key: the PKCS#1 key follows at offset 26").isEqualTo((byte) 0x04);
        write("pkcs1-key.pem", TestCertificate.pem("RSA PRIVATE KEY", Arrays.copyOfRange(pkcs8, 26, pkcs8.length)));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        write("other-key.pem", TestCertificate.pem("PRIVATE KEY", generator.generateKeyPair().getPrivate().getEncoded()));
        write("ec-sec1-key.pem", TestCertificate.pem("EC PRIVATE KEY", new byte[] {0x30, 0x00}));
        write("encrypted-key.pem", TestCertificate.pem("ENCRYPTED PRIVATE KEY", new byte[] {0x30, 0x00}));
        write("garbage.pem", "not a PEM file\n");
        write("bad-cert.pem", TestCertificate.pem("CERTIFICATE", new byte[] {0x30, 0x03, 0x02, 0x01, 0x00}));
        write("bad-base64.pem", "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n");
        write("bad-key.pem", TestCertificate.pem("PRIVATE KEY", new byte[] {0x30, 0x03, 0x02, 0x01, 0x00}));
        write("chain.pem", Files.readString(rsa.certificate()) + Files.readString(ec.certificate()));
    }

    private static void write(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text);
    }

    private static ServerConfig load(String text) throws IOException {
        return ServerConfig.load(Files.writeString(dir.resolve("onair.conf"), text));
    }

    @Test
    void anSslListenServesTheCertificateAndKeyNamedRelativeToTheConfigurationFile() throws IOException {
        RtmpServerConfig server = load("""
                rtmp { server {
                    listen 127.0.0.1:1936 ssl;
                    listen 1935;
                    ssl_certificate rsa/cert.pem;
                    ssl_certificate_key rsa/key.pem;
                } }
                """).rtmpServers().getFirst();

        assertThat(server.listens()).containsExactly(new Listen("127.0.0.1", 1936, true), new Listen(null, 1935));
        SslConfig ssl = server.ssl();
        assertThat(ssl.certificate()).isEqualTo(rsa.certificate());
        assertThat(ssl.certificateKey()).isEqualTo(rsa.key());
        assertThat(ssl.certificateChain()).containsExactly(rsa.x509());
        assertThat(ssl.key()).isEqualTo(rsa.privateKey());
        assertThat(ssl.protocols()).containsExactly("TLSv1.2", "TLSv1.3");
        assertThat(ssl.ciphers()).isEmpty();
    }

    @Test
    void sslSettingsMergeFromRtmpIntoServer() throws IOException {
        ServerConfig config = load("""
                rtmp {
                    ssl_certificate rsa/cert.pem;
                    ssl_certificate_key rsa/key.pem;
                    ssl_protocols TLSv1.3;
                    server { listen 1936 ssl; }
                    server {
                        listen 1937 ssl;
                        ssl_certificate ec/cert.pem;
                        ssl_certificate_key ec/key.pem;
                        ssl_protocols TLSv1.2 TLSv1.3;
                        ssl_ciphers TLS_AES_128_GCM_SHA256:TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
                    }
                    server { listen 1935; }
                }
                """);

        List<RtmpServerConfig> servers = config.rtmpServers();
        assertThat(servers.get(0).ssl())
                .extracting(SslConfig::certificate, SslConfig::protocols, SslConfig::ciphers)
                .containsExactly(rsa.certificate(), List.of("TLSv1.3"), List.of());
        assertThat(servers.get(1).ssl())
                .extracting(SslConfig::key, SslConfig::protocols, SslConfig::ciphers)
                .containsExactly(ec.privateKey(), List.of("TLSv1.2", "TLSv1.3"),
                        List.of("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"));
        assertThat(servers.get(2).ssl()).as("no ssl listen, no TLS").isNull();
    }

    @Test
    void nginxsDefaultCipherListLoadsAsTheJdksSuites() throws IOException {
        SslConfig ssl = load("rtmp { server { listen 1936 ssl; ssl_certificate rsa/cert.pem; "
                + "ssl_certificate_key rsa/key.pem; ssl_ciphers HIGH:!aNULL:!MD5; } }").rtmpServers().getFirst().ssl();

        assertThat(ssl.ciphers()).contains("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
                .noneMatch(name -> name.contains("_anon_") || name.endsWith("_MD5"));
    }

    @Test
    void aPkcs1RsaKeyAndAChainFileAreRead() throws IOException {
        SslConfig ssl = load("""
                rtmp { server { listen 1936 ssl;
                    ssl_certificate chain.pem; ssl_certificate_key pkcs1-key.pem; } }
                """).rtmpServers().getFirst().ssl();

        assertThat(ssl.key()).isEqualTo(rsa.privateKey());
        assertThat(ssl.certificateChain()).containsExactly(rsa.x509(), ec.x509());
    }

    @Test
    void absolutePathsAreTakenAsTheyAre() throws IOException {
        SslConfig ssl = load("rtmp { server { listen 1936 ssl; ssl_certificate " + ec.certificate()
                + "; ssl_certificate_key " + ec.key() + "; } }").rtmpServers().getFirst().ssl();

        assertThat(ssl.certificate()).isEqualTo(ec.certificate());
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ssl_certificate_key rsa/key.pem;                                  | 3: no "ssl_certificate" is defined for the "listen ... ssl" directive
            ssl_certificate rsa/cert.pem;                                     | 3: no "ssl_certificate_key" is defined for certificate "DIR/rsa/cert.pem"
            ssl_certificate missing.pem; ssl_certificate_key rsa/key.pem;     | 4: cannot load certificate "DIR/missing.pem": No such file or directory
            ssl_certificate garbage.pem; ssl_certificate_key rsa/key.pem;     | 4: cannot load certificate "DIR/garbage.pem": no "BEGIN CERTIFICATE" block
            ssl_certificate rsa/key.pem; ssl_certificate_key rsa/key.pem;     | 4: cannot load certificate "DIR/rsa/key.pem": no "BEGIN CERTIFICATE" block
            ssl_certificate bad-cert.pem; ssl_certificate_key rsa/key.pem;    | 4: cannot load certificate "DIR/bad-cert.pem": not a valid X.509 certificate
            ssl_certificate bad-base64.pem; ssl_certificate_key rsa/key.pem;  | 4: cannot load certificate "DIR/bad-base64.pem": bad base64 in "CERTIFICATE" block
            ssl_certificate rsa/cert.pem; ssl_certificate_key missing.pem;    | 4: cannot load certificate key "DIR/missing.pem": No such file or directory
            ssl_certificate rsa/cert.pem; ssl_certificate_key rsa/cert.pem;   | 4: cannot load certificate key "DIR/rsa/cert.pem": no "BEGIN PRIVATE KEY" block
            ssl_certificate rsa/cert.pem; ssl_certificate_key bad-key.pem;    | 4: cannot load certificate key "DIR/bad-key.pem": unreadable private key
            ssl_certificate rsa/cert.pem; ssl_certificate_key other-key.pem;  | 4: cannot load certificate key "DIR/other-key.pem": key values mismatch
            ssl_certificate rsa/cert.pem; ssl_certificate_key ec/key.pem;     | 4: cannot load certificate key "DIR/ec/key.pem": key values mismatch
            ssl_certificate rsa/cert.pem; ssl_certificate_key encrypted-key.pem; | 4: cannot load certificate key "DIR/encrypted-key.pem": encrypted keys are not supported
            ssl_certificate ec/cert.pem; ssl_certificate_key ec-sec1-key.pem; | 4: cannot load certificate key "DIR/ec-sec1-key.pem": "EC PRIVATE KEY" is not supported, convert it to PKCS#8 with "openssl pkcs8 -topk8 -nocrypt"
            ssl_protocols SSLv3 TLSv1.2;                                      | 4: invalid value "SSLv3 TLSv1.2" in "ssl_protocols" directive, it must be one or more of "TLSv1", "TLSv1.1", "TLSv1.2" and "TLSv1.3"
            ssl_protocols;                                                    | 4: invalid number of arguments in "ssl_protocols" directive
            ssl_ciphers RC4-SHA:!aNULL;                                       | 4: invalid value "RC4-SHA:!aNULL" in "ssl_ciphers" directive, no cipher suite of the JDK matches (OpenSSL cipher list such as HIGH:!aNULL:!MD5, or JDK names such as TLS_AES_128_GCM_SHA256, separated by ":")
            ssl_ciphers A B;                                                  | 4: invalid number of arguments in "ssl_ciphers" directive
            ssl_certificate a.pem b.pem;                                      | 4: invalid number of arguments in "ssl_certificate" directive
            ssl_certificate a.pem; ssl_certificate b.pem;                     | 4: "ssl_certificate" directive is duplicate
            application a { ssl_certificate a.pem; }                          | 4: "ssl_certificate" directive is not allowed here
            """)
    void badSslSettingsAreRejectedWithTheirLine(String directives, String message) {
        Path file = dir.resolve("onair.conf");
        assertThatThrownBy(() -> load("rtmp {\nserver {\nlisten 1936 ssl;\n" + directives + "\n} }"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":" + message.replace("DIR", dir.toString()));
    }

    @Test
    void theSameAddressWithAndWithoutSslIsADuplicate() {
        assertThatThrownBy(() -> load("rtmp {\nserver { listen 1935; }\nserver { listen 1935 ssl; } }"))
                .isInstanceOf(ConfigException.class)
                .hasMessageEndingWith(":3: duplicate \"*:1935\" address and port pair");
    }

    @Test
    void aServerWithoutSslListensNeedsNoCertificate() throws IOException {
        assertThat(load("rtmp { ssl_certificate missing.pem; server { listen 1935; } }").rtmpServers().getFirst().ssl())
                .isNull();
    }

    @Test
    void theConfigurationTestReportsAnUnreadableCertificate() throws IOException {
        Path file = Files.writeString(dir.resolve("check.conf"),
                "rtmp { server {\nlisten 1936 ssl;\nssl_certificate garbage.pem;\nssl_certificate_key rsa/key.pem;\n} }");

        ConfigCheck check = ConfigCheck.of(file);

        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(check.lines()).containsExactly(
                "onair: [emerg] " + file + ":3: cannot load certificate \"" + dir.resolve("garbage.pem")
                        + "\": no \"BEGIN CERTIFICATE\" block",
                "onair: configuration file " + file + " test failed");
    }
}
