package onair.config;

import onair.testing.TestCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RelayConfigTest {

    @TempDir
    Path dir;

    private static RelayConfig relay(String application) {
        return ServerConfig.parse("rtmp { server { listen 1935;\napplication live {\n" + application + "\n} } }",
            "t.conf").application("live").orElseThrow().relay();
    }

    @Test
    void withoutRelayLinesTheDefaultsAreNginxRtmps() {
        RelayConfig relay = relay("live on;");

        assertThat(relay.pushes()).isEmpty();
        assertThat(relay.pulls()).isEmpty();
        assertThat(relay.active()).isFalse();
        assertThat(relay.pushReconnect()).isEqualTo(Duration.ofSeconds(3));
        assertThat(relay.pullReconnect()).isEqualTo(Duration.ofSeconds(3));
        assertThat(relay.sessionRelay()).isFalse();
        assertThat(relay.relayBuffer()).isEqualTo(Duration.ofMillis(5000));
        assertThat(relay.trusted()).isEmpty();
    }

    @Test
    void aPushUrlGivesTheRemoteAppAndStreamAndTheHostIsResolved() throws Exception {
        RelayConfig relay = relay("push rtmp://127.0.0.1/live2/SECRET?x=1; push rtmps://localhost/app;");

        RelayConfig.Target first = relay.pushes().getFirst();
        assertThat(first.tls()).isFalse();
        assertThat(first.address()).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(first.port()).isEqualTo(1935);
        assertThat(first.app()).isEqualTo("live2");
        assertThat(first.playPath()).isEqualTo("SECRET?x=1");
        assertThat(first.name()).isNull();
        assertThat(first.shown("live")).isEqualTo("rtmp://127.0.0.1:1935/live2").doesNotContain("SECRET");

        RelayConfig.Target second = relay.pushes().get(1);
        assertThat(second.tls()).isTrue();
        assertThat(second.host()).isEqualTo("localhost");
        assertThat(second.address().isLoopbackAddress()).isTrue();
        assertThat(second.port()).isEqualTo(443);
        assertThat(second.app()).isEqualTo("app");
        assertThat(second.playPath()).isNull();
    }

    @Test
    void keyValueArgumentsOverrideTheUrlAndAnEmptyValueIsIgnored() {
        RelayConfig.Target target = relay("push rtmp://127.0.0.1:1940 app=a name=cam playpath=k tcUrl=rtmp://t/a "
            + "pageUrl=http://p swfUrl=http://s flashVer=FMLE/3.0 live=1 start=5 stop=10 app=;").pushes().getFirst();

        assertThat(target.port()).isEqualTo(1940);
        assertThat(target.app()).isEqualTo("a");
        assertThat(target.name()).isEqualTo("cam");
        assertThat(target.appliesTo("cam")).isTrue();
        assertThat(target.appliesTo("other")).isFalse();
        assertThat(target.playPath()).isEqualTo("k");
        assertThat(target.tcUrl()).isEqualTo("rtmp://t/a");
        assertThat(target.pageUrl()).isEqualTo("http://p");
        assertThat(target.swfUrl()).isEqualTo("http://s");
        assertThat(target.flashVer()).isEqualTo("FMLE/3.0");
        assertThat(target.live()).isEqualTo(1);
        assertThat(target.start()).isEqualTo(5);
        assertThat(target.stop()).isEqualTo(10);
        assertThat(target.isStatic()).isFalse();
    }

    @Test
    void pullLinesAreAnOrderedListAndStaticNeedsAName() {
        RelayConfig relay = relay("pull rtmp://127.0.0.2/live; pull rtmp://127.0.0.3:1936/live name=src static;"
            + " pull_reconnect 1s; push_reconnect 500ms; session_relay on;");

        assertThat(relay.pulls()).extracting(target -> target.address().getHostAddress())
            .containsExactly("127.0.0.2", "127.0.0.3");
        assertThat(relay.pulls().get(1).isStatic()).isTrue();
        assertThat(relay.pullReconnect()).isEqualTo(Duration.ofSeconds(1));
        assertThat(relay.pushReconnect()).isEqualTo(Duration.ofMillis(500));
        assertThat(relay.sessionRelay()).isTrue();
    }

    @Test
    void settingsAreInheritedFromTheServerAndRtmpBlocks() {
        RelayConfig relay = ServerConfig.parse("rtmp { relay_buffer 1s; push_reconnect 2s; server { listen 1935; "
            + "pull_reconnect 4s; application live { push rtmp://127.0.0.1/x; } } }", "t.conf")
            .application("live").orElseThrow().relay();

        assertThat(relay.relayBuffer()).isEqualTo(Duration.ofSeconds(1));
        assertThat(relay.pushReconnect()).isEqualTo(Duration.ofSeconds(2));
        assertThat(relay.pullReconnect()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void aTrustedCertificateIsReadWhenTheConfigurationLoads() {
        TestCertificate certificate = TestCertificate.create(dir, "EC");

        RelayConfig relay = relay("relay_ssl_trusted_certificate " + certificate.certificate() + ";");

        assertThat(relay.trustedCertificate()).isEqualTo(certificate.certificate());
        assertThat(relay.trusted()).containsExactly(certificate.x509());
    }

    @Test
    void aMissingTrustedCertificateIsAnErrorAtItsLine() {
        assertThatThrownBy(() -> relay("relay_ssl_trusted_certificate " + dir.resolve("none.pem") + ";"))
            .isInstanceOf(ConfigException.class).hasMessageStartingWith("t.conf:3: cannot load certificate");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
        push http://127.0.0.1/a;                     | invalid url in "push": not rtmp:// or rtmps://
        push 127.0.0.1/a;                            | invalid url in "push": not rtmp:// or rtmps://
        pull rtmp://;                                | invalid url in "pull": Expected authority
        push rtmp://user@127.0.0.1/a;                | invalid url in "push": rtmp[s]://host[:port]/app/name expected
        push rtmp://no-such-host.invalid/a;          | host not found in "push" url: no-such-host.invalid
        push rtmp://127.0.0.1/a bogus;               | invalid parameter "bogus" in "push": key=value expected
        push rtmp://127.0.0.1/a color=red;           | unsupported parameter "color=red" in "push"
        push rtmp://127.0.0.1/a start=x;             | invalid number "start=x" in "push"
        push rtmp://127.0.0.1/a static;              | static push is not allowed
        pull rtmp://127.0.0.1/a static;              | stream name missing in static pull declaration (add name=NAME)
        push;                                        | invalid number of arguments in "push" directive
        push_reconnect abc;                          | invalid value "abc" in "push_reconnect" directive
        pull_reconnect 0;                            | invalid value "0" in "pull_reconnect" directive
        session_relay maybe;                         | invalid value "maybe" in "session_relay" directive
        """)
    void badRelayLinesAreErrorsNamingFileAndLine(String line, String message) {
        assertThatThrownBy(() -> relay(line)).isInstanceOf(ConfigException.class)
            .hasMessageStartingWith("t.conf:3: " + message);
    }

    @Test
    void pushAndPullAreApplicationDirectivesAndRelayBufferIsNotOne() {
        assertThatThrownBy(() -> ServerConfig.parse("rtmp { server { listen 1935;\npush rtmp://127.0.0.1/a; } }",
            "t.conf")).isInstanceOf(ConfigException.class)
            .hasMessage("t.conf:2: \"push\" directive is not allowed here");
        assertThatThrownBy(() -> relay("relay_buffer 1s;")).isInstanceOf(ConfigException.class)
            .hasMessage("t.conf:3: \"relay_buffer\" directive is not allowed here");
    }

    @Test
    void multiWorkerDirectivesNeedTheirValues() {
        assertThatThrownBy(() -> ServerConfig.parse("rtmp_auto_push maybe;\nrtmp { }", "t.conf"))
            .isInstanceOf(ConfigException.class)
            .hasMessage("t.conf:1: invalid value \"maybe\" in \"rtmp_auto_push\" directive, "
                + "it must be \"on\" or \"off\"");
        assertThatThrownBy(() -> ServerConfig.parse("rtmp_socket_dir;\nrtmp { }", "t.conf"))
            .isInstanceOf(ConfigException.class)
            .hasMessage("t.conf:1: invalid number of arguments in \"rtmp_socket_dir\" directive");
    }
}
