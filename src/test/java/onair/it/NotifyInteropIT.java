package onair.it;

import onair.notify.PublishToken;
import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.testing.CallbackBackend;
import onair.testing.CallbackBackend.Call;
import onair.testing.CallbackBackend.Reply;
import onair.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real ffmpeg publishes with a signed token URL to an application guarded by a publish secret and an {@code on_publish}
 * backend: allowed, it is live under the plain name and the backend saw every argument; denied, ffmpeg fails.
 */
class NotifyInteropIT {

    private static final String SECRET = "interop-secret-0123456789";
    private static final Duration RUN = Duration.ofSeconds(60);

    private static String config(CallbackBackend backend) {
        return "rtmp { server { listen 127.0.0.1:0; application live { live on; publish_token_secret " + SECRET
            + "; on_publish " + backend.url("/publish") + "; } } }";
    }

    private static String signedUrl(TestServer server, String name) {
        long expires = Instant.now().getEpochSecond() + 600;
        return server.url("live", name + "?expires=" + expires + "&token="
            + PublishToken.sign(SECRET, "live", name, expires));
    }

    @Test
    void ffmpegWithAValidTokenAndAnAllowingBackendPublishesUnderThePlainName() throws Exception {
        try (CallbackBackend backend = CallbackBackend.start();
             TestServer server = TestServer.start(config(backend));
             FfmpegPublisher publisher = FfmpegPublisher.builder(TestMedia.h264Aac360p(), signedUrl(server, "key"))
                 .loop().name("token-publisher").start()) {
            Call call = backend.await("publish");
            await().atMost(RUN).until(() -> server.server().registry().find(new StreamKey("live", "key"))
                .map(LiveStream::framesIn).orElse(0L) > 50);

            assertThat(call.map()).containsEntry("app", "live").containsEntry("name", "key")
                .containsEntry("type", "live").containsKeys("expires", "token", "tcurl", "flashver", "clientid");
            assertThat(call.arg("flashver")).startsWith("FMLE/3.0");
            assertThat(publisher.process().isAlive()).isTrue();
        }
    }

    @Test
    void ffmpegDeniedByTheBackendFailsAndNothingIsPublished() throws Exception {
        try (CallbackBackend backend = CallbackBackend.start().answer(call -> Reply.status(403));
             TestServer server = TestServer.start(config(backend));
             FfmpegPublisher publisher = FfmpegPublisher.builder(TestMedia.h264Aac360p(), signedUrl(server, "key"))
                 .loop().name("denied-publisher").start()) {
            backend.await("publish");

            assertThat(publisher.process().waitFor(RUN)).isNotZero();
            assertThat(server.server().registry().find(new StreamKey("live", "key")).map(LiveStream::isLive))
                .isNotEqualTo(Optional.of(true));
        }
    }

    @Test
    void ffmpegWithoutATokenFailsBeforeTheBackendIsAsked() throws Exception {
        try (CallbackBackend backend = CallbackBackend.start();
             TestServer server = TestServer.start(config(backend));
             FfmpegPublisher publisher = FfmpegPublisher.builder(TestMedia.h264Aac360p(), server.url("live", "key"))
                 .loop().name("tokenless-publisher").start()) {
            assertThat(publisher.process().waitFor(RUN)).isNotZero();
            assertThat(backend.pending()).isEmpty();
        }
    }
}
