package onair.relay;

import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.testing.LogCapture;
import onair.testing.SyntheticPublisher;
import onair.testing.TestCertificate;
import onair.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RtmpsPushTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    /** The test certificate names localhost and 127.0.0.1; a server on 127.0.0.2 does not match it. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        an untrusted certificate            | 127.0.0.1 | false | PKIX path building failed
        a certificate for another host name | 127.0.0.2 | true  | No subject alternative names matching IP address
        """)
    void aPushRefusesARemoteWithAnUntrustedCertificateOrHostNameAndBacksOff(String why, String host,
            boolean trusted, String reason) throws Exception {
        TestCertificate certificate = TestCertificate.create(dir, "EC");
        try (LogCapture log = new LogCapture(RtmpRelay.class);
             TestServer tls = TestServer.start("rtmp { server { listen " + host + ":0 ssl; ssl_certificate "
                 + certificate.certificate() + "; ssl_certificate_key " + certificate.key()
                 + "; application live { live on; } } }");
             TestServer source = TestServer.start("rtmp { server { listen 127.0.0.1:0; application live { live on; "
                 + "push rtmps://" + host + ":" + tls.address().getPort() + "/live/key; push_reconnect 100ms; "
                 + (trusted ? "relay_ssl_trusted_certificate " + certificate.certificate() + "; " : "")
                 + "} } }");
             SyntheticPublisher publisher = new SyntheticPublisher(source.address(), "live", "src", 10, 500)) {
            await().atMost(WAIT).until(() -> log.lines("] ended").size() >= 2);

            assertThat(log.lines("] ended")).allSatisfy(line -> assertThat(line)
                .startsWith("[relay push rtmps://" + host + ":" + tls.address().getPort() + "/live/***] ended:")
                .contains("SSLHandshakeException").contains(reason));
            assertThat(tls.server().registry().find(new StreamKey("live", "key")).map(LiveStream::isLive)
                .orElse(false)).isFalse();
        }
    }
}
