package onair.notify;

import onair.rtmpserver.RtmpSession;
import onair.testing.LogCapture;
import onair.testing.RtmpTestClient;
import onair.testing.SyntheticPublisher;
import onair.testing.TestPlayer;
import onair.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Onair's signed publish URLs: valid, expired, tampered, missing and foreign tokens, and the documented openssl mint. */
class PublishTokenTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String SECRET = "s3cret-s3cret-s3cret";
    private static final long NOW = 1_800_000_000L;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "VALID", textBlock = """
            valid                 | live | key   | live | key | 1800000060 | sign   | VALID
            valid until this second| live | key  | live | key | 1800000000 | sign   | VALID
            upper-case hex        | live | key   | live | key | 1800000060 | upper  | VALID
            expired               | live | key   | live | key | 1799999999 | sign   | expired publish token (expired at 1799999999)
            tampered token        | live | key   | live | key | 1800000060 | tamper | invalid publish token
            expiry moved later    | live | key   | live | key | 1800000060 | later  | invalid publish token
            signed for other app  | other| key   | live | key | 1800000060 | sign   | invalid publish token
            signed for other name | live | other | live | key | 1800000060 | sign   | invalid publish token
            missing token         | live | key   | live | key | 1800000060 | none   | missing publish token (expires= and token= arguments)
            bad expiry            | live | key   | live | key | 1800000060 | badexp | invalid publish token expiry "soon"
            """)
    void tokensAreCheckedAgainstAppNameAndExpiry(String label, String signedApp, String signedName, String app,
        String name, long expires, String form, String problem) {
        String token = PublishToken.sign(SECRET, signedApp, signedName, expires);
        String args = switch (form) {
            case "sign" -> "expires=" + expires + "&token=" + token;
            case "upper" -> "token=" + token.toUpperCase() + "&expires=" + expires;
            case "tamper" -> "expires=" + expires + "&token=" + token.substring(0, 63) + (token.endsWith("0") ? "1" : "0");
            case "later" -> "expires=" + (expires + 3600) + "&token=" + token;
            case "badexp" -> "expires=soon&token=" + token;
            default -> "user=x";
        };
        assertThat(PublishToken.problem(SECRET, app, name, args, NOW)).isEqualTo(problem);
    }

    @Test
    void theOpensslOneLinerOfTheReadmeMintsTheSameToken() throws Exception {
        Process openssl;
        try {
            openssl = new ProcessBuilder("sh", "-c",
                "printf '%s' \"live/key:1800000060\" | openssl dgst -sha256 -hmac \"" + SECRET + "\" | sed 's/^.* //'")
                .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("this test needs sh and openssl on the PATH", e);
        }
        String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertThat(openssl.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(openssl.exitValue()).as("openssl output: " + output).isZero();

        assertThat(output).isEqualTo(PublishToken.sign(SECRET, "live", "key", 1_800_000_060L));
    }

    @Test
    void theTokenCommandPrintsTheNameWithItsTokenValidForTheGivenSeconds() {
        assertThat(PublishToken.command(List.of("-a", "live", "-n", "key", "-e", "60", "-s", SECRET), null, NOW))
            .isEqualTo("key?expires=1800000060&token=" + PublishToken.sign(SECRET, "live", "key", 1_800_000_060L));
        assertThat(PublishToken.command(List.of("-n", "key", "-a", "live"), SECRET, NOW))
            .startsWith("key?expires=1800003600&token=");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            -a live -n key           | the application, the name and the secret are required
            -a live -s x             | the application, the name and the secret are required
            -a live -n key -s x -e 1h | -e takes a number of seconds
            -a live -n key -x y      | unexpected "-x"
            -a live -n               | unexpected "-n"
            """)
    void theTokenCommandExplainsWhatIsMissing(String args, String message) {
        assertThatThrownBy(() -> PublishToken.command(List.of(args.split(" ")), null, NOW))
            .isInstanceOf(IllegalArgumentException.class).hasMessage(message + "\n" + PublishToken.USAGE);
    }

    @Test
    void aPublisherWithAValidTokenIsServedToPlayersOfThePlainName() throws Exception {
        long expires = Instant.now().getEpochSecond() + 60;
        String name = "key?expires=" + expires + "&token=" + PublishToken.sign(SECRET, "live", "key", expires);
        try (TestServer server = TestServer.start(
                 "rtmp { server { listen 127.0.0.1:0; application live { live on; publish_token_secret " + SECRET
                     + "; } } }");
             SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", name, 5, 100);
             TestPlayer player = TestPlayer.play(server.address(), "live", "key")) {
            publisher.send(10);
            player.readUntilVideo(9, WAIT);

            assertThat(player.videoSequences()).endsWith(9);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            key                                    | missing publish token
            key?expires=1000&token=00              | invalid publish token
            key?expires=1000&token=SIGNED          | expired publish token (expired at 1000)
            """)
    void aPublisherWithoutAValidTokenGetsBadNameAndOneLogLine(String name, String reason) throws Exception {
        String published = name.replace("SIGNED", PublishToken.sign(SECRET, "live", "key", 1000));
        try (TestServer server = TestServer.start(
                 "rtmp { server { listen 127.0.0.1:0; application live { live on; publish_token_secret " + SECRET
                     + "; } } }");
             RtmpTestClient client = RtmpTestClient.open(server.address());
             LogCapture log = new LogCapture(RtmpSession.class)) {
            client.connect("live");
            String code = RtmpTestClient.code(client.publish(client.createStream(), published));

            assertThat(code).isEqualTo("NetStream.Publish.BadName");
            assertThat(client.awaitClosed(WAIT)).isTrue();
            await().atMost(WAIT).until(() -> log.lines("closed: " + reason).size() == 1);
        }
    }
}
