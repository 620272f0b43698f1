package onair.server;

import static org.assertj.core.api.Assertions.assertThat;

import onair.testing.TestCertificate;
import onair.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** {@code listen ... ssl} in an http server serves HTTPS with the certificate of its ssl_* directives. */
class HttpsTest {

    @TempDir
    Path dir;

    @Test
    void anSslListenServesFilesOverHttps() throws Exception {
        TestCertificate certificate = TestCertificate.create(dir.resolve("tls"), "EC");
        byte[] segment = new byte[100_000];
        new java.util.Random(1).nextBytes(segment);
        Files.write(dir.resolve("seg.ts"), segment);
        String config = """
                rtmp { }
                http { server { listen 127.0.0.1:0 ssl; ssl_certificate %s; ssl_certificate_key %s;
                    location / { root %s; } } }
                """.formatted(certificate.certificate(), certificate.key(), dir);
        try (TestServer server = TestServer.start(config)) {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("onair", certificate.x509());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, trust.getTrustManagers(), null);
            int port = server.server().httpAddresses().getFirst().getPort();

            try (HttpClient client = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1).build()) {
                HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + port + "/seg.ts")).build(), HttpResponse.BodyHandlers.ofByteArray());

                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo(segment);
                assertThat(response.headers().firstValue("content-type")).hasValue("video/mp2t");
            }
        }
    }
}
