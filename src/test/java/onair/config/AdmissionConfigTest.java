package onair.config;

import onair.config.AdmissionConfig.Callback;
import onair.testing.TestCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Binding of the notify, access, application max_connections and publish token directives, in nginx's contexts. */
class AdmissionConfigTest {

    private static RtmpServerConfig server(String text) {
        return ServerConfig.parse(text, "t.conf").rtmpServers().getFirst();
    }

    @Test
    void everyDirectiveIsBoundAndMergedDown(@TempDir Path dir) throws Exception {
        TestCertificate certificate = TestCertificate.create(dir, "EC");
        RtmpServerConfig server = server("""
                rtmp {
                    notify_method get;
                    server {
                        listen 1935;
                        on_connect http://auth/connect; on_disconnect auth:8080/disconnect; netcall_timeout 3s;
                        max_connections 50;
                        application a {
                            on_publish https://auth/publish; on_play http://auth/play; on_publish_done http://auth/pd;
                            on_play_done http://auth/yd; on_done http://auth/d; on_record_done http://auth/rd;
                            on_update http://auth/u; notify_update_timeout 10s; notify_update_strict on;
                            notify_relay_redirect on;
                            notify_method post; notify_ssl_trusted_certificate %s;
                            max_connections 5; publish_token_secret 0123456789abcdef0123;
                        }
                        application b { }
                    }
                }
                """.formatted(certificate.certificate()));

        AdmissionConfig a = server.application("a").orElseThrow().admission();
        assertThat(a.callbacks()).containsAllEntriesOf(Map.of(
                Callback.CONNECT, URI.create("http://auth/connect"),
                Callback.DISCONNECT, URI.create("http://auth:8080/disconnect"),
                Callback.PUBLISH, URI.create("https://auth/publish"), Callback.PLAY, URI.create("http://auth/play"),
                Callback.PUBLISH_DONE, URI.create("http://auth/pd"), Callback.PLAY_DONE, URI.create("http://auth/yd"),
                Callback.DONE, URI.create("http://auth/d"), Callback.RECORD_DONE, URI.create("http://auth/rd"),
                Callback.UPDATE, URI.create("http://auth/u")));
        assertThat(a.method()).isEqualTo(AdmissionConfig.Method.POST);
        assertThat(a.updateTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(a.updateStrict()).isTrue();
        assertThat(a.relayRedirect()).isTrue();
        assertThat(a.netcallTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(a.trustedCertificate()).isEqualTo(certificate.certificate());
        assertThat(a.trusted()).containsExactly(certificate.x509());
        assertThat(a.maxConnections()).isEqualTo(5);
        assertThat(a.publishTokenSecret()).isEqualTo("0123456789abcdef0123");

        assertThat(server.admission().method()).isEqualTo(AdmissionConfig.Method.GET);
        assertThat(server.admission().url(Callback.CONNECT)).contains(URI.create("http://auth/connect"));
        assertThat(server.maxConnections()).isEqualTo(50);
        AdmissionConfig b = server.application("b").orElseThrow().admission();
        assertThat(b.maxConnections()).as("max_connections of the server is not an application limit").isZero();
        assertThat(b.url(Callback.PUBLISH)).isEmpty();
        assertThat(b.method()).isEqualTo(AdmissionConfig.Method.GET);
    }

    @Test
    void aCallbackHostWithAnUnderscoreIsAcceptedAsNginxResolvesIt() {
        RtmpServerConfig server = server("rtmp { server { listen 1; on_connect rtmp_auth/c;"
                + " application a { on_publish http://rtmp_notify:3000/p; } } }");

        assertThat(server.admission().url(Callback.CONNECT)).contains(URI.create("http://rtmp_auth/c"));
        assertThat(server.application("a").orElseThrow().admission().url(Callback.PUBLISH).orElseThrow())
                .hasToString("http://rtmp_notify:3000/p");
    }

    @Test
    void accessRulesOfAnApplicationComeFirstThenItsServersThenTheRtmpBlocks() throws Exception {
        RtmpServerConfig server = server("""
                rtmp {
                    deny play all;
                    server {
                        listen 1935;
                        allow play 10.0.0.0/8;
                        application a { allow play 192.168.0.1; deny publish 192.168.0.1; }
                        application b { }
                    }
                }
                """);

        assertThat(server.application("a").orElseThrow().admission().access()).containsExactly(
                new AccessRule(true, false, true, InetAddress.getByName("192.168.0.1"), 32),
                new AccessRule(false, true, false, InetAddress.getByName("192.168.0.1"), 32),
                new AccessRule(true, false, true, InetAddress.getByName("10.0.0.0"), 8),
                new AccessRule(false, false, true, null, 0));
        assertThat(server.application("b").orElseThrow().admission().access()).hasSize(2);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            on_connect http://a/;                 | "on_connect" directive is not allowed here
            on_disconnect http://a/;              | "on_disconnect" directive is not allowed here
            netcall_timeout 1s;                   | "netcall_timeout" directive is not allowed here
            on_publish ftp://a/;                  | invalid value "ftp://a/" in "on_publish" directive, the URL must start with "http://" or "https://"
            on_play http:///p;                    | invalid value "http:///p" in "on_play" directive, the URL has no host
            on_play https://rtmp_notify/p;        | invalid value "https://rtmp_notify/p" in "on_play" directive, an https:// URL needs a host name without "_"
            notify_method put;                    | invalid value "put" in "notify_method" directive, it must be "get" or "post"
            publish_token_secret short;           | invalid value "short" in "publish_token_secret" directive, the secret must be at least 16 characters
            notify_ssl_trusted_certificate x.pem; | x.pem": No such file or directory
            """)
    void badSettingsAreRefusedWithFileAndLine(String directive, String message) {
        assertThatThrownBy(() -> server("rtmp { server { listen 1; application a {\n" + directive + "\n} } }"))
                .isInstanceOf(ConfigException.class).message().startsWith("t.conf:2: ").endsWith(message);
    }

    @Test
    void aTrustedCertificateFileWithoutCertificatesIsRefused(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing");
        assertThatThrownBy(() -> server("rtmp { server { listen 1; application a {\nnotify_ssl_trusted_certificate "
                + empty + ";\n} } }")).isInstanceOf(ConfigException.class)
                .hasMessage("t.conf:2: cannot load certificate \"" + empty + "\": no \"BEGIN CERTIFICATE\" block");
    }
}
