package onair.relay;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import onair.rtmp.message.MediaMessage;
import onair.rtmp.message.RtmpMessage;
import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.testing.Frames;
import onair.testing.RtmpTestClient;
import onair.testing.SyntheticPublisher;
import onair.testing.TestCertificate;
import onair.testing.TestPlayer;
import onair.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class MultistreamTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int GOP = 10;
    private static final long LATE_TARGET_DOWN = Duration.ofSeconds(10).toNanos();
    private static final int FRAME_SIZE = 700;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    /** One media tag as a player received it: video or audio, timestamp, payload bytes. */
    private record Tag(int type, int timestamp, byte[] payload) {}

    @Test
    void oneStreamIsPushedToAPlainAnRtmpsAndALateTargetAndEachGetsThePublishersTags() throws Exception {
        TestCertificate certificate = TestCertificate.create(dir, "EC");
        int latePort = freePort();
        try (TestServer plain = TestServer.start();
             TestServer tls = TestServer.start("rtmp { server { listen 127.0.0.1:0 ssl; listen 127.0.0.1:0; "
                 + "ssl_certificate " + certificate.certificate() + "; ssl_certificate_key " + certificate.key()
                 + "; application live { live on; } } }");
             TestServer source = TestServer.start("rtmp { server { listen 127.0.0.1:0; application live { live on; "
                 + "push rtmp://127.0.0.1:" + plain.address().getPort() + "/live/plain-key; "
                 + "push rtmps://127.0.0.1:" + tls.address(0).getPort() + "/live/tls-key; "
                 + "push rtmp://127.0.0.1:" + latePort + "/live/late-key; "
                 + "push_reconnect 200ms; relay_ssl_trusted_certificate " + certificate.certificate() + "; } } }"
                 + " http { server { listen 127.0.0.1:0; location /stat { rtmp_stat all; } "
                 + "location /metrics { rtmp_metrics on; } location / { } } }");
             SyntheticPublisher publisher = new SyntheticPublisher(source.address(), "live", "src", GOP, FRAME_SIZE);
             TestPlayer local = TestPlayer.play(source.address(), "live", "src")) {
            awaitLive(plain, "plain-key");
            awaitLive(tls, "tls-key");
            long downSince = System.nanoTime();
            try (RtmpTestClient plainPlayer = player(plain.address(), "plain-key");
                 RtmpTestClient tlsPlayer = player(tls.address(1), "tls-key")) {
                String stat = await().atMost(WAIT).until(() -> stat(source),
                    json -> reconnects(json, latePort) >= 6 && System.nanoTime() - downSince >= LATE_TARGET_DOWN);
                assertThat(stat).containsPattern("\"url\":\"rtmp://127.0.0.1:" + latePort
                    + "/live/\\*\\*\\*\",\"state\":\"(backing off|connecting)\",\"last_error\":\"cannot connect");
                assertThat(stat).doesNotContain("plain-key").doesNotContain("tls-key").doesNotContain("late-key");
                String lateLabels = "{app=\"live\",name=\"src\",direction=\"push\",url=\"rtmp://127.0.0.1:" + latePort
                    + "/live/***\"";
                assertThat(get(source, "/metrics")).contains("onair_relay_state" + lateLabels + ",state=\"live\"} 0")
                    .containsPattern("onair_relay_reconnects_total" + Pattern.quote(lateLabels + "}") + " [1-9]")
                    .doesNotContain("late-key");
                assertThat(get(source, "/api/streams")).contains("\"url\":\"rtmp://127.0.0.1:" + latePort
                    + "/live/***\"").doesNotContain("late-key");

                publisher.send(30);
                publisher.sync();
                local.readUntilVideo(29, WAIT);
                assertThat(local.videoSequences()).isEqualTo(range(0, 30));

                try (TestServer late = TestServer.start("rtmp { server { listen 127.0.0.1:" + latePort
                    + "; application live { live on; } } }")) {
                    awaitLive(late, "late-key");
                    try (RtmpTestClient latePlayer = player(late.address(), "late-key")) {
                        publisher.send(30);
                        publisher.sync();

                        assertPublishersTags(read(plainPlayer, 59));
                        assertPublishersTags(read(tlsPlayer, 59));
                        assertPublishersTags(read(latePlayer, 59));
                        assertThat(stat(source)).containsPattern("\"url\":\"rtmp://127.0.0.1:" + latePort
                            + "/live/\\*\\*\\*\",\"state\":\"live\"");
                    }
                }
            }
        }
    }

    private static void awaitLive(TestServer server, String name) {
        await().atMost(WAIT).until(() -> server.server().registry().find(new StreamKey("live", name))
            .map(LiveStream::isLive).orElse(false));
    }

    private static RtmpTestClient player(InetSocketAddress address, String name) throws InterruptedException {
        RtmpTestClient client = RtmpTestClient.open(address);
        client.connect("live");
        int streamId = client.createStream();
        client.play(streamId, name);
        client.awaitCommand(command -> RtmpTestClient.code(command).equals("NetStream.Play.Start"));
        return client;
    }

    /** The media tags a player receives until video frame {@code last}, from its first keyframe on. */
    private static List<Tag> read(RtmpTestClient player, int last) throws InterruptedException {
        List<Tag> tags = new ArrayList<>();
        boolean keyframe = false;
        while (true) {
            RtmpMessage message = player.poll(WAIT);
            assertThat(message).as("a tag within %s after %s tags", WAIT, tags.size()).isNotNull();
            try {
                if (message instanceof MediaMessage media) {
                    byte[] payload = ByteBufUtil.getBytes(media.payload());
                    boolean sequenceHeader = payload[1] == 0;
                    keyframe |= media.typeId() == MediaMessage.VIDEO && !sequenceHeader && (payload[0] >> 4) == 1;
                    if (keyframe && !sequenceHeader) {
                        tags.add(new Tag(media.typeId(), media.timestamp(), payload));
                        if (media.typeId() == MediaMessage.AUDIO && Frames.sequence(media.payload()) == last) {
                            return tags;
                        }
                    }
                }
            } finally {
                ReferenceCountUtil.release(message);
            }
        }
    }

    /**
     * The tags equal the publisher's byte for byte, from a keyframe to the last one, with the publisher's spacing of
     * timestamps: video frame n then its audio frame, at 40 n and 40 n + 1 ms from the publisher's start.
     */
    private static void assertPublishersTags(List<Tag> tags) {
        Tag first = tags.getFirst();
        int start = sequenceOf(first);
        assertThat(start % GOP).as("the first tag is a keyframe").isZero();
        assertThat(tags).hasSize(2 * (60 - start));
        for (int i = 0; i < tags.size(); i++) {
            int sequence = start + i / 2;
            boolean video = i % 2 == 0;
            Tag tag = tags.get(i);
            byte[] expected = video ? Frames.video(sequence % GOP == 0, sequence, FRAME_SIZE)
                : Frames.audio(sequence, 32);
            assertThat(tag.type()).isEqualTo(video ? MediaMessage.VIDEO : MediaMessage.AUDIO);
            assertThat(tag.payload()).as("payload of tag %d", i).isEqualTo(expected);
            assertThat(tag.timestamp() - first.timestamp()).as("timestamp of tag %d", i)
                .isEqualTo(40 * (sequence - start) + (video ? 0 : 1));
        }
    }

    private static int sequenceOf(Tag tag) {
        return Frames.sequence(Unpooled.wrappedBuffer(tag.payload()));
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }

    private static String stat(TestServer server) throws IOException, InterruptedException {
        return get(server, "/stat?format=json");
    }

    private static String get(TestServer server, String path) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + server.server().httpAddresses().getFirst().getPort() + path);
        return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The reconnect count of the push to {@code port}, from stat JSON; -1 without one. */
    private static long reconnects(String json, int port) {
        Matcher relay = Pattern.compile("\\{\"direction\":\"push\"[^}]*\"reconnects\":(\\d+)}").matcher(json);
        long most = -1;
        while (relay.find()) {
            if (relay.group().contains(":" + port + "/")) {
                most = Math.max(most, Long.parseLong(relay.group(1)));
            }
        }
        return most;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
