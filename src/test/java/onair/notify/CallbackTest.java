package onair.notify;

import onair.config.AdmissionConfig;
import onair.config.ApplicationConfig;
import onair.config.ServerConfig;
import onair.lifecycle.Peer;
import onair.lifecycle.RecordDoneEvent;
import onair.lifecycle.RecordStartedEvent;
import onair.rtmpserver.RtmpSession;
import onair.relay.RelayTarget;
import onair.rtmp.message.CommandMessage;
import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.testing.CallbackBackend;
import onair.testing.CallbackBackend.Call;
import onair.testing.CallbackBackend.Reply;
import onair.testing.Frames;
import onair.testing.LogCapture;
import onair.testing.RtmpTestClient;
import onair.testing.SyntheticPublisher;
import onair.testing.TestCertificate;
import onair.testing.TestPlayer;
import onair.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * nginx-rtmp's HTTP callbacks against a real backend over real sockets: the exact arguments each callback sends, and
 * what a client observes for every decision (allow, reject, redirect, timeout, backend down, HTTPS).
 */
class CallbackTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final List<String> COMMON = List.of("app", "flashver", "swfurl", "tcurl", "pageurl", "addr",
        "clientid");
    private static final String FLASHVER = "FMLE/3.0 (compatible; onair-test)";

    private static String config(String server, String application) {
        return "rtmp { netcall_timeout 2s; server { listen 127.0.0.1:0; " + server
            + " application live { live on; " + application + " } application other { live on; } } }";
    }

    private static List<String> names(String... specific) {
        List<String> names = new ArrayList<>(COMMON);
        names.addAll(List.of(specific));
        return names;
    }

    /** The backend answers as {@code reply} says: a status, a delay past netcall_timeout, or "down" (closed). */
    private static CallbackBackend backend(String reply) throws Exception {
        CallbackBackend backend = CallbackBackend.start();
        Function<Call, Reply> answer = switch (reply) {
            case "timeout" -> call -> Reply.after(Duration.ofSeconds(3), 200);
            case "down" -> call -> Reply.status(200);
            default -> call -> Reply.status(Integer.parseInt(reply));
        };
        backend.answer(answer);
        if (reply.equals("down")) {
            backend.close();
        }
        return backend;
    }

    @Test
    void onConnectSendsNginxArgumentsWithTheConnectQueryAndGoesOnWith2xx() throws Exception {
        try (CallbackBackend backend = CallbackBackend.start();
             TestServer server = TestServer.start(config("on_connect " + backend.url("/connect") + ";", ""));
             RtmpTestClient client = RtmpTestClient.open(server.address())) {
            CommandMessage answer = client.connect("live?a=1&b=two%20words");

            assertThat(answer.name()).isEqualTo("_result");
            Call call = backend.await("connect");
            assertThat(call.method()).isEqualTo("POST");
            assertThat(call.path()).isEqualTo("/connect");
            assertThat(call.names()).containsExactly("call", "app", "flashver", "swfurl", "tcurl", "pageurl", "addr",
                "epoch", "a", "b");
            assertThat(call.map()).containsEntry("app", "live").containsEntry("flashver", FLASHVER)
                .containsEntry("swfurl", "").containsEntry("tcurl", "rtmp://127.0.0.1/live?a=1&b=two%20words")
                .containsEntry("pageurl", "").containsEntry("addr", "127.0.0.1").containsEntry("a", "1")
                .containsEntry("b", "two words");
            assertThat(call.arg("epoch")).containsOnlyDigits();
        }
    }

    @ParameterizedTest(name = "backend {0}")
    @ValueSource(strings = {"403", "500", "timeout", "down"})
    void onConnectThatDoesNotAllowRejectsTheConnectionAndClosesIt(String reply) throws Exception {
        try (CallbackBackend backend = backend(reply);
             TestServer server = TestServer.start(config("on_connect " + backend.url("/c") + ";", ""));
             RtmpTestClient client = RtmpTestClient.open(server.address())) {
            CommandMessage answer = client.connect("live");

            assertThat(answer.name()).isEqualTo("_error");
            assertThat(RtmpTestClient.code(answer)).isEqualTo("NetConnection.Connect.Rejected");
            assertThat(client.awaitClosed(WAIT)).isTrue();
        }
    }

    @Test
    void onConnectRedirectMovesTheConnectionToTheApplicationInLocation() throws Exception {
        try (CallbackBackend backend = CallbackBackend.start().answer(call -> Reply.redirect("other"));
             TestServer server = TestServer.start(config("on_connect " + backend.url("/c") + ";", ""));
             RtmpTestClient client = RtmpTestClient.open(server.address())) {
            assertThat(client.connect("live").name()).isEqualTo("_result");
            CommandMessage status = client.publish(client.createStream(), "key");

            assertThat(RtmpTestClient.code(status)).isEqualTo("NetStream.Publish.Start");
            assertThat(server.server().registry().find(new StreamKey("other", "key")).map(LiveStream::isLive))
                .contains(true);
            assertThat(server.server().registry().find(new StreamKey("live", "key"))).isEmpty();
        }
    }

    @Test
    void onPublishWithGetSendsTheArgumentsInTheQueryWithThePublishQuery() throws Exception {
        try (CallbackBackend backend = CallbackBackend.start();
             TestServer server = TestServer.start(config("",
                 "notify_method get; on_publish " + backend.url("/auth?secret=s") + ";"));
             RtmpTestClient client = RtmpTestClient.open(server.address())) {
            client.connect("live");
            CommandMessage status = client.publish(client.createStream(), "key?user=ann&pass=x%2By");

            assertThat(RtmpTestClient.code(status)).isEqualTo("NetStream.Publish.Start");
            Call call = backend.await("publish");
            assertThat(call.method()).isEqualTo("GET");
            assertThat(call.body()).isEmpty();
            assertThat(call.names()).containsExactly("secret", "app", "flashver", "swfurl", "tcurl", "pageurl", "addr",
                "clientid", "call", "name", "type", "user", "pass");
            assertThat(call.map()).containsEntry("app", "live").containsEntry("flashver", FLASHVER)
                .containsEntry("tcurl", "rtmp://127.0.0.1/live").containsEntry("addr", "127.0.0.1")
                .containsEntry("name", "key").containsEntry("type", "live").containsEntry("user", "ann")
                .containsEntry("pass", "x+y");
            assertThat(call.arg("clientid")).containsOnlyDigits();
        }
    }

    @ParameterizedTest(name = "backend {0}")
    @CsvSource(delimiter = '|', textBlock = """
            200     | NetStream.Publish.Start   |
            204     | NetStream.Publish.Start   |
            403     | NetStream.Publish.BadName | on_publish answered 403
            404     | NetStream.Publish.BadName | on_publish answered 404
            500     | NetStream.Publish.BadName | on_publish answered 500
            timeout | NetStream.Publish.BadName | on_publish timed out
            down    | NetStream.Publish.BadName | on_publish failed
            """)
    void onPublishAllowsOnlyWith2xxAndOtherwiseSendsBadNameAndCloses(String reply, String code, String description)
        throws Exception {
        try (CallbackBackend backend = backend(reply);
             TestServer server = TestServer.start(config("", "on_publish " + backend.url("/p?key=hidden") + ";"));
             RtmpTestClient client = RtmpTestClient.open(server.address());
             LogCapture log = new LogCapture(RtmpSession.class)) {
            client.connect("live");
            CommandMessage status = client.publish(client.createStream(), "key");

            assertThat(RtmpTestClient.code(status)).isEqualTo(code);
            if (description != null) {
                assertThat(((Map<?, ?>) status.arguments().getFirst()).get("description"))
                    .isEqualTo("Publish denied: " + description);
                assertThat(client.awaitClosed(WAIT)).isTrue();
                assertThat(server.server().registry().find(new StreamKey("live", "key")).map(LiveStream::isLive))
                    .isNotEqualTo(Optional.of(true));
                await().atMost(WAIT).untilAsserted(() -> assertThat(log.lines("closed: on_publish "
                    + backend.url("/p ")).getFirst()).doesNotContain("hidden"));
            }
        }
    }

    @ParameterizedTest(name = "backend {0}")
    @ValueSource(strings = {"200", "403", "500", "timeout", "down"})
    void onPlayAllowsOnlyWith2xxAndOtherwiseSendsPlayFailedAndCloses(String reply) throws Exception {
        try (CallbackBackend backend = backend(reply);
             TestServer server = TestServer.start(config("", "on_play " + backend.url("/p") + ";"));
             RtmpTestClient client = RtmpTestClient.open(server.address())) {
            client.connect("live");
            client.play(client.createStream(), "key");
            CommandMessage status = client.awaitCommand(c -> c.name().equals("onStatus")
                && !RtmpTestClient.code(c).equals("NetStream.Play.Reset"));

            if (reply.equals("200")) {
                assertThat(RtmpTestClient.code(status)).isEqualTo("NetStream.Play.Start");
            } else {
                assertThat(RtmpTestClient.code(status)).isEqualTo("NetStream.Play.Failed");
                assertThat(client.awaitClosed(WAIT)).isTrue();
            }
        }
    }

    @Test
    void onPlaySendsStartDurationAndResetAsNginxDoesWithThePlayQuery() throws Exception {
        try (CallbackBackend backend = CallbackBackend.start();
             TestServer server = TestServer.start(config("", "on_play " + backend.url("/play") + ";"));
             TestPlayer ignored = TestPlayer.play(server.address(), "live?c=3", "key?p=1&q=")) {
            Call call = backend.await("play");

            assertThat(call.method()).isEqualTo("POST");
            assertThat(call.names()).containsExactlyElementsOf(names("call", "name", "start", "duration", "reset", "p",
                "q"));
            assertThat(call.map()).containsEntry("app", "live").containsEntry("tcurl", "rtmp://127.0.0.1/live?c=3")
                .containsEntry("name", "key").containsEntry("start", "4294967294")
                .containsEntry("duration", "4294967295").containsEntry("reset", "1").containsEntry("p", "1")
                .containsEntry("q", "");
        }
    }

    @Test
    void onPublishRedirectPublishesUnderTheNameInLocation() throws Exception {
        try (CallbackBackend backend = CallbackBackend.start().answer(call -> Reply.redirect("renamed"));
             TestServer server = TestServer.start(config("", "on_publish " + backend.url("/p") + ";"));
             SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "key", 5, 100);
             TestPlayer player = TestPlayer.play(server.address(), "live", "renamed")) {
            publisher.send(10);
            player.readUntilVideo(9, WAIT);

            assertThat(player.videoSequences()).endsWith(9);
            assertThat(server.server().registry().find(new StreamKey("live", "key"))).isEmpty();
        }
    }

    @Test
    void onPlayRedirectPlaysTheNameInLocation() throws Exception {
        try (CallbackBackend backend = CallbackBackend.start().answer(call -> Reply.redirect("real"));
             TestServer server = TestServer.start(config("", "on_play " + backend.url("/p") + ";"));
             SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "real", 5, 100);
             TestPlayer player = TestPlayer.play(server.address(), "live", "alias")) {
            publisher.send(10);
            player.readUntilVideo(9, WAIT);

            assertThat(player.videoSequences()).endsWith(9);
        }
    }

    @Test
    void onPlayRedirectToAnRtmpUrlPullsTheRemoteStreamUntilNoPlayerIsLeft() throws Exception {
        try (TestServer upstream = TestServer.start();
             SyntheticPublisher publisher = new SyntheticPublisher(upstream.address(), "live", "src", 5, 100);
             CallbackBackend backend = CallbackBackend.start()
                 .answer(call -> Reply.redirect(upstream.url("live", "src")));
             TestServer server = TestServer.start(config("", "on_play " + backend.url("/p") + ";"))) {
            publisher.send(5);
            try (TestPlayer player = TestPlayer.play(server.address(), "live", "alias")) {
                await().atMost(WAIT).until(() -> upstream.server().registry().find(new StreamKey("live", "src"))
                    .map(LiveStream::subscriberCount).orElse(0) == 1);
                publisher.send(10);
                player.readUntilVideo(14, WAIT);

                assertThat(player.videoSequences()).endsWith(14);
                assertThat(server.server().registry().find(new StreamKey("live", "alias")).map(LiveStream::isLive))
                    .contains(true);
            }
            await().atMost(WAIT).until(() -> upstream.server().registry().find(new StreamKey("live", "src"))
                .map(LiveStream::subscriberCount).orElse(0) == 0);
        }
    }

    @Test
    void withNotifyRelayRedirectThePulledStreamIsNamedAfterTheMd5OfTheUrl() throws Exception {
        try (TestServer upstream = TestServer.start();
             SyntheticPublisher publisher = new SyntheticPublisher(upstream.address(), "live", "src", 5, 100);
             CallbackBackend backend = CallbackBackend.start()
                 .answer(call -> Reply.redirect(upstream.url("live", "src")));
             TestServer server = TestServer.start(config("", "on_play " + backend.url("/p")
                 + "; notify_relay_redirect on;"));
             TestPlayer player = TestPlayer.play(server.address(), "live", "alias")) {
            publisher.send(10);
            player.readUntilVideo(9, WAIT);

            String md5 = RelayTarget.md5(upstream.url("live", "src"));
            assertThat(md5).hasSize(32);
            assertThat(server.server().registry().find(new StreamKey("live", md5)).map(LiveStream::isLive))
                .contains(true);
            assertThat(server.server().registry().find(new StreamKey("live", "alias"))).isEmpty();
        }
    }

    @Test
    void onPublishRedirectToAnRtmpUrlPublishesLocallyAndPushesThere() throws Exception {
        try (TestServer upstream = TestServer.start();
             CallbackBackend backend = CallbackBackend.start()
                 .answer(call -> Reply.redirect(upstream.url("live", "pushed")));
             TestServer server = TestServer.start(config("", "on_publish " + backend.url("/p") + ";"));
             TestPlayer remote = TestPlayer.play(upstream.address(), "live", "pushed");
             SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "key", 5, 100);
             TestPlayer local = TestPlayer.play(server.address(), "live", "key")) {
            await().atMost(WAIT).until(() -> upstream.server().registry().find(new StreamKey("live", "pushed"))
                .map(LiveStream::isLive).orElse(false));
            publisher.send(10);
            remote.readUntilVideo(9, WAIT);
            local.readUntilVideo(9, WAIT);

            assertThat(remote.videoSequences()).endsWith(9);
            assertThat(local.videoSequences()).endsWith(9);
            assertThat(remote.events()).contains("onMetaData", "V-seq", "A-seq");
        }
    }

    @Test
    void aRedirectToAnInvalidRelayUrlRefuses() throws Exception {
        try (CallbackBackend backend = CallbackBackend.start().answer(call -> Reply.redirect("rtmp://192.0.2.1/"));
             TestServer server = TestServer.start(config("", "on_play " + backend.url("/p") + ";"));
             RtmpTestClient client = RtmpTestClient.open(server.address())) {
            client.connect("live");
            client.play(client.createStream(), "key");
            CommandMessage status = client.awaitCommand(c -> c.name().equals("onStatus"));

            assertThat(RtmpTestClient.code(status)).isEqualTo("NetStream.Play.Failed");
            assertThat(client.awaitClosed(WAIT)).isTrue();
        }
    }

    @Test
    void messagesSentWhileOnPublishIsPendingArePublishedOnceAllowed() throws Exception {
        try (CallbackBackend backend = CallbackBackend.start()
                 .answer(call -> Reply.after(Duration.ofMillis(300), 200));
             TestServer server = TestServer.start(config("", "on_publish " + backend.url("/p") + ";"));
             TestPlayer player = TestPlayer.play(server.address(), "live", "key");
             RtmpTestClient publisher = RtmpTestClient.open(server.address())) {
            publisher.connect("live");
            int stream = publisher.createStream();
            publisher.send(new CommandMessage(stream, 0, "publish", 0, null, List.of("key", "live")));
            publisher.sendVideo(stream, 0, Frames.avcSequenceHeader());
            for (int i = 0; i < 5; i++) {
                publisher.sendVideo(stream, i * 40, Frames.video(i == 0, i, 100));
            }

            assertThat(RtmpTestClient.code(publisher.awaitCommand(c -> c.name().equals("onStatus"))))
                .isEqualTo("NetStream.Publish.Start");
            player.readUntilVideo(4, WAIT);
            assertThat(player.videoSequences()).containsExactly(0, 1, 2, 3, 4);
        }
    }

    @Test
    void doneCallbacksFireWhenAPlayerAndAPublisherDisconnect() throws Exception {
        try (CallbackBackend backend = CallbackBackend.start();
             TestServer server = TestServer.start(config("", "on_publish_done " + backend.url("/pd") + "; on_play_done "
                 + backend.url("/yd") + "; on_done " + backend.url("/d") + ";"))) {
            SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "key?k=v", 5, 100);
            TestPlayer player = TestPlayer.play(server.address(), "live", "key?p=1");
            publisher.send(5);
            player.readUntilVideo(4, WAIT);

            player.close();
            Call playDone = backend.await("play_done");
            Call done = backend.await("done");
            publisher.close();
            Call publishDone = backend.await("publish_done");
            Call publisherDone = backend.await("done");

            assertThat(playDone.path()).isEqualTo("/yd");
            assertThat(playDone.names()).containsExactlyElementsOf(names("call", "name", "bytes_in", "bytes_out", "p"));
            assertThat(playDone.map()).containsEntry("name", "key").containsEntry("p", "1");
            assertThat(Long.parseLong(playDone.arg("bytes_out"))).isGreaterThan(500);
            assertThat(done.path()).isEqualTo("/d");
            assertThat(done.map()).containsEntry("name", "key").containsEntry("p", "1");
            assertThat(publishDone.path()).isEqualTo("/pd");
            assertThat(publishDone.names()).containsExactlyElementsOf(names("call", "name", "bytes_in", "bytes_out",
                "k"));
            assertThat(Long.parseLong(publishDone.arg("bytes_in"))).isGreaterThan(500);
            assertThat(publisherDone.map()).containsEntry("name", "key").containsEntry("k", "v");
        }
    }

    @Test
    void onUpdateIsCalledEveryPeriodAndAFailedReplyClosesTheConnection() throws Exception {
        try (CallbackBackend backend = CallbackBackend.start();
             TestServer server = TestServer.start(config("", "on_update " + backend.url("/u")
                 + "; notify_update_timeout 200ms;"));
             SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "key?k=v", 5, 100)) {
            publisher.send(3);
            Call first = backend.await("update_publish");
            backend.await("update_publish");

            assertThat(first.names()).containsExactlyElementsOf(names("call", "time", "timestamp", "name", "k"));
            assertThat(first.map()).containsEntry("name", "key").containsEntry("timestamp", "81")
                .containsEntry("time", "0");
            assertThat(publisher.client().channel().isActive()).isTrue();

            backend.answer(call -> Reply.status(500));
            assertThat(publisher.client().awaitClosed(WAIT)).isTrue();
        }
    }

    @ParameterizedTest(name = "notify_update_strict {0}")
    @ValueSource(strings = {"off", "on"})
    void aRedirectToOnUpdateContinuesUnlessStrict(String strict) throws Exception {
        try (CallbackBackend backend = CallbackBackend.start().answer(call -> Reply.redirect("x"));
             TestServer server = TestServer.start(config("", "on_update " + backend.url("/u")
                 + "; notify_update_timeout 200ms; notify_update_strict " + strict + ";"));
             TestPlayer player = TestPlayer.play(server.address(), "live", "key")) {
            backend.await("update_play");

            if (strict.equals("on")) {
                assertThat(player.client().awaitClosed(WAIT)).isTrue();
            } else {
                backend.await("update_play");
                backend.await("update_play");
                assertThat(player.client().channel().isActive()).isTrue();
            }
        }
    }

    @Test
    void httpsCallbacksWorkWithTheSelfSignedCertificateTrustedByConfiguration(@TempDir Path dir) throws Exception {
        TestCertificate certificate = TestCertificate.create(dir, "RSA");
        try (CallbackBackend backend = CallbackBackend.startTls(certificate);
             TestServer server = TestServer.start(config("netcall_timeout 5s;", "on_publish " + backend.url("/p")
                 + "; notify_ssl_trusted_certificate " + certificate.certificate() + ";"));
             RtmpTestClient client = RtmpTestClient.open(server.address())) {
            client.connect("live");
            CommandMessage status = client.publish(client.createStream(), "key");

            assertThat(RtmpTestClient.code(status)).isEqualTo("NetStream.Publish.Start");
            assertThat(backend.await("publish").arg("name")).isEqualTo("key");
        }
    }

    @Test
    void anUntrustedHttpsCallbackRejects(@TempDir Path dir) throws Exception {
        TestCertificate certificate = TestCertificate.create(dir, "RSA");
        try (CallbackBackend backend = CallbackBackend.startTls(certificate);
             TestServer server = TestServer.start(config("netcall_timeout 5s;", "on_publish " + backend.url("/p")
                 + ";"));
             RtmpTestClient client = RtmpTestClient.open(server.address());
             LogCapture log = new LogCapture(RtmpSession.class)) {
            client.connect("live");
            CommandMessage status = client.publish(client.createStream(), "key");

            assertThat(RtmpTestClient.code(status)).isEqualTo("NetStream.Publish.BadName");
            assertThat(client.awaitClosed(WAIT)).isTrue();
            await().atMost(WAIT).untilAsserted(() ->
                assertThat(log.lines("closed: on_publish " + backend.url("/p") + " failed: TLS:")).hasSize(1));
        }
    }

    @Test
    void onDisconnectFiresWhenAConnectedClientLeaves() throws Exception {
        try (CallbackBackend backend = CallbackBackend.start();
             TestServer server = TestServer.start(config("on_disconnect " + backend.url("/bye") + ";", ""))) {
            try (RtmpTestClient client = RtmpTestClient.open(server.address())) {
                client.connect("live?u=1");
            }
            Call call = backend.await("disconnect");

            assertThat(call.names()).containsExactlyElementsOf(names("call", "app", "u"));
            assertThat(call.map()).containsEntry("app", "live").containsEntry("u", "1");
        }
    }

    @Test
    void shuttingDownSendsOnPublishDoneForEveryPublisher() throws Exception {
        try (CallbackBackend backend = CallbackBackend.start()) {
            TestServer server = TestServer.start(config("", "on_publish_done " + backend.url("/pd") + ";"));
            try (SyntheticPublisher publisher = new SyntheticPublisher(server.address(), "live", "key", 5, 100)) {
                publisher.send(2);
                publisher.sync();
                server.close();
            }
            assertThat(backend.await("publish_done").arg("name")).isEqualTo("key");
        }
    }

    @Test
    void onRecordDoneSendsTheRecorderNameAndPathWithThePublisherArguments() throws Exception {
        try (CallbackBackend backend = CallbackBackend.start(); Callbacks callbacks = new Callbacks()) {
            ApplicationConfig app = ServerConfig.parse("rtmp { server { listen 1935; application live { live on; "
                + "record all; record_path /rec; on_record_done " + backend.url("/rd") + "; } } }", "callbacks.conf")
                .application("live").orElseThrow();
            Peer publisher = new Peer(7, InetAddress.getLoopbackAddress(), "live", "FMLE/3.0", "", "rtmp://h/live", "",
                "", 0);
            callbacks.onRecordDone(new RecordDoneEvent(app, publisher, app.record().recorder("").orElseThrow(), "key",
                "k=v", Path.of("/rec/key-1.flv")));
            Call call = backend.await("record_done");

            assertThat(call.names()).containsExactlyElementsOf(names("call", "recorder", "name", "path", "k"));
            assertThat(call.map()).containsEntry("clientid", "7").containsEntry("recorder", "")
                .containsEntry("name", "key").containsEntry("path", "/rec/key-1.flv").containsEntry("k", "v");
        }
    }

    @Test
    void onRecordStartedGoesToTheRecordersOwnUrlWithTheArgumentsOfRecordDone() throws Exception {
        try (CallbackBackend backend = CallbackBackend.start(); Callbacks callbacks = new Callbacks()) {
            ApplicationConfig app = ServerConfig.parse("rtmp { server { listen 1935; application live { live on; "
                + "on_record_started " + backend.url("/app") + "; record_path /rec; recorder clip { record all; "
                + "on_record_started " + backend.url("/clip") + "; } } } }", "callbacks.conf")
                .application("live").orElseThrow();
            Peer publisher = new Peer(7, InetAddress.getLoopbackAddress(), "live", "FMLE/3.0", "", "rtmp://h/live", "",
                "", 0);
            callbacks.onRecordStarted(new RecordStartedEvent(app, publisher, app.record().recorder("clip")
                .orElseThrow(), "key", "k=v", Path.of("/rec/key-clip.flv")));
            Call call = backend.await("record_started");

            assertThat(call.path()).isEqualTo("/clip");
            assertThat(call.names()).containsExactlyElementsOf(names("call", "recorder", "name", "path", "k"));
            assertThat(call.map()).containsEntry("recorder", "clip").containsEntry("name", "key")
                .containsEntry("path", "/rec/key-clip.flv").containsEntry("k", "v");
        }
    }
}
