package onair.rtmpserver;

import io.netty.buffer.ByteBufUtil;
import io.netty.util.ReferenceCountUtil;
import onair.rtmp.message.CommandMessage;
import onair.rtmp.message.MediaMessage;
import onair.rtmp.message.RtmpMessage;
import onair.stream.LiveStream;
import onair.stream.StreamKey;
import onair.stream.Subscriber;
import onair.testing.RtmpTestClient;
import onair.testing.TestServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A publish of two video renditions (track 0 as plain AVC tags, track 1 in Enhanced RTMP v2 multitrack packets, as
 * ffmpeg 8 sends them) played over real sockets: a player whose connect announced capsEx Multitrack gets every tag
 * byte for byte, from the GOP cache (track 0's headers first) and live; a legacy player gets track 0 alone.
 */
class MultitrackPlayerTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String TRACK0_HEADER = "1700000000 0164001fffe1";
    private static final String TRACK1_HEADER = "9600 61766331 01 0164000dffe1";
    private static final String TRACK0_KEY = "1701000000 00000002 6588";
    private static final String TRACK1_KEY = "9601 61766331 01 000000 00000002 6588";
    private static final String AUDIO_HEADER = "af00 1210";
    private static final String TRACK1_INTER = "a601 61766331 01 000028 00000002 419a";
    private static final String TRACK0_END = "2701000028 00000003 419aff";

    private static byte[] bytes(String spaced) {
        return HexFormat.of().parseHex(spaced.replace(" ", ""));
    }

    private static String hex(String spaced) {
        return spaced.replace(" ", "");
    }

    /** Connects with {@code extra} connect properties, plays live/two and returns the client with its _result. */
    private static RtmpTestClient player(TestServer server, Map<String, Object> extra, List<CommandMessage> result)
        throws InterruptedException {
        RtmpTestClient client = RtmpTestClient.open(server.address());
        result.add(client.connect("live", extra));
        client.play(client.createStream(), "two");
        return client;
    }

    /** The media bodies a player receives, as hex, up to and including track 0's last frame. */
    private static List<String> media(RtmpTestClient client) throws InterruptedException {
        List<String> bodies = new ArrayList<>();
        while (!bodies.contains(hex(TRACK0_END))) {
            RtmpMessage message = client.poll(WAIT);
            assertThat(message).as("a message within %s after %s", WAIT, bodies).isNotNull();
            try {
                if (message instanceof MediaMessage media) {
                    bodies.add(ByteBufUtil.hexDump(media.payload()));
                }
            } finally {
                ReferenceCountUtil.release(message);
            }
        }
        return bodies;
    }

    @Test
    void aMultitrackPlayerGetsTrackOneUnchangedAndALegacyOneDoesNot() throws Exception {
        try (TestServer server = TestServer.start();
             RtmpTestClient publisher = RtmpTestClient.open(server.address())) {
            publisher.connect("live");
            int streamId = publisher.createStream();
            publisher.publish(streamId, "two");
            publisher.sendVideo(streamId, 0, bytes(TRACK0_HEADER));
            publisher.sendVideo(streamId, 0, bytes(TRACK1_HEADER));
            publisher.sendAudio(streamId, 0, bytes(AUDIO_HEADER));
            publisher.sendVideo(streamId, 0, bytes(TRACK0_KEY));
            publisher.sendVideo(streamId, 0, bytes(TRACK1_KEY));
            publisher.roundTrip(streamId);

            List<CommandMessage> results = new ArrayList<>();
            try (RtmpTestClient multitrack = player(server, Map.of("capsEx", 2.0, "fourCcList", List.of("avc1")),
                     results);
                 RtmpTestClient legacy = player(server, Map.of(), results)) {
                StreamKey key = new StreamKey("live", "two");
                Awaitility.await().atMost(WAIT).until(() -> server.server().registry().find(key)
                    .map(LiveStream::subscriberCount).orElse(0) == 2);
                assertThat(server.server().registry().find(key).orElseThrow().subscribers())
                    .extracting(Subscriber::multitrack).containsExactlyInAnyOrder(true, false);
                publisher.sendVideo(streamId, 40, bytes(TRACK1_INTER));
                publisher.sendVideo(streamId, 40, bytes(TRACK0_END));

                assertThat(((Map<?, ?>) results.get(0).commandObject()).get("capsEx")).isEqualTo(7.0);
                assertThat(List.copyOf(((Map<?, ?>) results.get(1).commandObject()).keySet()))
                    .isEqualTo(List.of("fmsVer", "capabilities"));
                assertThat(media(multitrack)).containsExactly(hex(TRACK0_HEADER), hex(AUDIO_HEADER),
                    hex(TRACK1_HEADER), hex(TRACK0_KEY), hex(TRACK1_KEY), hex(TRACK1_INTER), hex(TRACK0_END));
                assertThat(media(legacy)).containsExactly(hex(TRACK0_HEADER), hex(AUDIO_HEADER), hex(TRACK0_KEY),
                    hex(TRACK0_END));
            }
        }
    }
}
