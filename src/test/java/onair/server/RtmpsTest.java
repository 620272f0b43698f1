package onair.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLException;
import onair.rtmpserver.RtmpSession;
import onair.testing.LogCapture;
import onair.testing.RtmpTestClient;
import onair.testing.TestCertificate;
import onair.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RTMP over TLS on a {@code listen ... ssl}: a client that trusts the certificate connects as over plain RTMP, with the
 * configured protocols; a plain client, a silent one and one without a common protocol are closed with one log line.
 */
class RtmpsTest {

    @TempDir
    static Path dir;

    private static TestCertificate certificate;

    @BeforeAll
    static void certificate() {
        certificate = TestCertificate.create(dir, "EC");
    }

    private static TestServer start(String directives) throws InterruptedException {
        return TestServer.start("rtmp { server { listen 127.0.0.1:0 ssl; listen 127.0.0.1:0; timeout 1s;"
            + " ssl_certificate " + certificate.certificate() + "; ssl_certificate_key " + certificate.key() + ";"
            + directives + " application live { live on; } } }");
    }

    private static SslContext client(String... protocols) throws SSLException {
        return SslContextBuilder.forClient().sslProvider(SslProvider.JDK).trustManager(certificate.x509())
            .protocols(protocols).build();
    }

    private static String protocol(RtmpTestClient client) {
        return client.channel().pipeline().get(SslHandler.class).engine().getSession().getProtocol();
    }

    @Test
    void aClientThatTrustsTheCertificateConnectsOverTls13ByDefault() throws Exception {
        try (TestServer server = start("");
             RtmpTestClient client = RtmpTestClient.open(server.address(0), client("TLSv1.2", "TLSv1.3"))) {
            assertThat(client.connect("live").name()).isEqualTo("_result");
            assertThat(protocol(client)).isEqualTo("TLSv1.3");
        }
    }

    @Test
    void sslProtocolsLimitsTheProtocolsOnOffer() throws Exception {
        try (TestServer server = start("ssl_protocols TLSv1.2;");
             RtmpTestClient client = RtmpTestClient.open(server.address(0), client("TLSv1.2", "TLSv1.3"))) {
            assertThat(client.connect("live").name()).isEqualTo("_result");
            assertThat(protocol(client)).isEqualTo("TLSv1.2");
        }
    }

    @Test
    void theRtmpConnectTimeoutStartsAfterTheTlsHandshake() throws Exception {
        try (LogCapture log = new LogCapture(RtmpSession.class); TestServer server = start("");
             RtmpTestClient client = RtmpTestClient.open(server.address(0), client("TLSv1.3"))) {
            assertThat(client.awaitClosed(Duration.ofSeconds(10))).isTrue();

            await().atMost(Duration.ofSeconds(10)).until(() -> !log.lines(" closed").isEmpty());
            assertThat(log.lines(" closed")).singleElement().asString().endsWith("closed: no connect within timeout 1000 ms");
        }
    }

    @Test
    void thePlainListenOfTheSameServerStaysPlain() throws Exception {
        try (TestServer server = start("");
             RtmpTestClient client = RtmpTestClient.open(server.address(1))) {
            assertThat(client.connect("live").name()).isEqualTo("_result");
        }
    }

    @Test
    void plainRtmpOnTheSslPortIsClosedWithOneLine() throws Exception {
        try (LogCapture log = new LogCapture(RtmpSession.class); TestServer server = start("")) {
            byte[] c0c1 = new byte[1537];
            c0c1[0] = 3;

            int port = raw(server.address(0), c0c1);

            assertClosedOnce(log, port, "TLS handshake failed: not a TLS record (plain RTMP on an ssl port?)");
        }
    }

    @Test
    void aSilentPeerIsClosedAfterTheHandshakeTimeout() throws Exception {
        try (LogCapture log = new LogCapture(RtmpSession.class); TestServer server = start("")) {
            int port = raw(server.address(0), new byte[0]);

            assertClosedOnce(log, port, "TLS handshake failed: handshake timed out after 1000ms");
        }
    }

    @Test
    void aClientWithoutACommonProtocolIsClosedWithOneLine() throws Exception {
        try (LogCapture log = new LogCapture(RtmpSession.class); TestServer server = start("ssl_protocols TLSv1.3;")) {
            assertThatThrownBy(() -> RtmpTestClient.open(server.address(0), client("TLSv1.2")).close())
                .hasRootCauseInstanceOf(SSLException.class);

            await().atMost(Duration.ofSeconds(10)).until(() -> !log.lines(" closed").isEmpty());
            assertThat(log.lines(" closed")).singleElement().asString().contains(" closed: TLS handshake failed: ");
        }
    }

    private static void assertClosedOnce(LogCapture log, int port, String reason) {
        String label = "127.0.0.1:" + port + "]";
        await().atMost(Duration.ofSeconds(10)).until(() -> !log.lines(label + " closed").isEmpty());
        assertThat(log.lines(label + " closed")).singleElement().asString().endsWith(" closed: " + reason);
    }

    private static int raw(InetSocketAddress server, byte[] bytes) throws Exception {
        try (Socket socket = new Socket(server.getAddress(), server.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(bytes);
            InputStream in = socket.getInputStream();
            in.readAllBytes();
            return socket.getLocalPort();
        }
    }
}
