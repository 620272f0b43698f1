package onair.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import onair.amf.Amf0;
import onair.amf.EcmaArray;
import onair.media.Codec;
import onair.media.MediaFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StreamStatsTest {

    private static final StreamKey KEY = new StreamKey("live", "stats");

    private final StreamRegistry registry = new StreamRegistry();
    private final Clients clients = new Clients();

    private static MediaFrame frame(MediaFrame.Kind kind, int timestamp, String hex) {
        return MediaFrame.of(kind, timestamp, Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex)));
    }

    private static MediaFrame metadata(Map<String, Object> properties) {
        ByteBuf body = Unpooled.buffer();
        Amf0.writeAll(body, "onMetaData", new EcmaArray(properties));
        return MediaFrame.of(MediaFrame.Kind.DATA, 0, body);
    }

    /** A subscriber of a client connection that has dropped {@code dropped} frames. */
    private static Subscriber viewer(Client client, long dropped) {
        return new Subscriber() {
            @Override
            public void onFrame(MediaFrame frame) {
                frame.release();
            }

            @Override
            public void onPublishStart() {
            }

            @Override
            public void onPublishStop() {
            }

            @Override
            public Client client() {
                return client;
            }

            @Override
            public long droppedFrames() {
                return dropped;
            }
        };
    }

    @Test
    void publisherAndSubscribersAreKnownByTheirClients() {
        LiveStream stream = registry.stream(KEY, LiveOptions.defaults());
        Client publisher = clients.open(Client.Protocol.RTMP, new InetSocketAddress("127.0.0.1", 5000), 0);
        Client viewer = clients.open(Client.Protocol.HTTP_FLV, new InetSocketAddress("127.0.0.2", 5001), 0);
        try (Subscription ignored = stream.subscribe(viewer(viewer, 3));
             Subscription internal = stream.subscribe(viewer(null, 4));
             Publication publication = stream.publish(publisher)) {
            assertThat(stream.publisher()).contains(publisher);
            assertThat(stream.subscribers()).extracting(Subscriber::client).containsExactly(viewer, null);
            assertThat(stream.stats().droppedFrames()).isEqualTo(7);
            assertThat(publisher.address()).isEqualTo("127.0.0.1");
            assertThat(clients.accepted()).isEqualTo(2);
        }
        assertThat(stream.publisher()).isEmpty();
    }

    @Test
    void countsBytesFramesKeyframeIntervalAndDriftAsDelivered() {
        LiveStream stream = registry.stream(KEY, LiveOptions.defaults());
        try (Subscription a = stream.subscribe(viewer(null, 0));
             Subscription b = stream.subscribe(viewer(null, 0));
             Publication publication = stream.publish()) {
            publication.send(frame(MediaFrame.Kind.VIDEO, 0, "1701000000aaaa"));
            publication.send(frame(MediaFrame.Kind.AUDIO, 20, "af01bb"));
            publication.send(frame(MediaFrame.Kind.VIDEO, 40, "2701000000cc"));
            publication.send(frame(MediaFrame.Kind.VIDEO, 2000, "1701000000dd"));
            publication.send(frame(MediaFrame.Kind.AUDIO, 1960, "af01ee"));
            StreamStats stats = stream.stats();
            assertThat(stats.live()).isTrue();
            assertThat(stats.framesIn()).isEqualTo(5);
            assertThat(stats.bytesIn()).isEqualTo(7 + 3 + 6 + 6 + 3);
            assertThat(stats.bytesOut()).isEqualTo(2 * stats.bytesIn());
            assertThat(stats.keyframeInterval()).isEqualTo(2.0);
            assertThat(stats.avDriftMillis()).isEqualTo(-40);
            assertThat(stats.timestamp()).isEqualTo(1960);
            assertThat(stats.video().codecName()).isEqualTo("H264");
            assertThat(stats.audio().codecName()).isEqualTo("AAC");
        }
    }

    @Test
    void avcProfileAndLevelComeFromTheConfigurationRecordAndSizeFromMetadata() {
        LiveStream stream = registry.stream(KEY, LiveOptions.defaults());
        try (Publication publication = stream.publish()) {
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("width", 1280.0);
            properties.put("height", 720.0);
            properties.put("framerate", 30.0);
            publication.sendMetadata(metadata(properties));
            publication.send(frame(MediaFrame.Kind.VIDEO, 0, "170000000001640028ffe1"));
            StreamStats.Video video = stream.stats().video();
            assertThat(video).isEqualTo(new StreamStats.Video(Codec.H264, 100, 0, 40, 1280, 720, 30.0));
            assertThat(video.profileName()).isEqualTo("High");
        }
    }

    @ParameterizedTest(name = "AudioSpecificConfig {0} → {1} {2} Hz {3} ch")
    @CsvSource({
        "1210,     LC,   44100, 2",
        "1190,     LC,   48000, 2",
        "0a10,     Main, 44100, 2",
        "2b1188,   HE,   24000, 2",
        "eb098800, HEv2, 24000, 1",
    })
    void aacProfileRateAndChannelsComeFromTheAudioSpecificConfig(String config, String profile, int rate,
                                                                 int channels) {
        LiveStream stream = registry.stream(KEY, LiveOptions.defaults());
        try (Publication publication = stream.publish()) {
            publication.send(frame(MediaFrame.Kind.AUDIO, 0, "af00" + config));
            StreamStats.Audio audio = stream.stats().audio();
            assertThat(audio.profileName()).isEqualTo(profile);
            assertThat(audio.sampleRate()).isEqualTo(rate);
            assertThat(audio.channels()).isEqualTo(channels);
        }
    }

    @Test
    void legacyAudioTakesRateAndChannelsFromTheFlvHeader() {
        LiveStream stream = registry.stream(KEY, LiveOptions.defaults());
        try (Publication publication = stream.publish()) {
            publication.send(frame(MediaFrame.Kind.AUDIO, 0, "2f00"));
            StreamStats.Audio audio = stream.stats().audio();
            assertThat(audio.codecName()).isEqualTo("MP3");
            assertThat(audio.sampleRate()).isEqualTo(44100);
            assertThat(audio.channels()).isEqualTo(2);
        }
    }

    @Test
    void bandwidthAveragesWholeSecondsAndFallsToZeroWhenIdle() {
        Bandwidth bandwidth = new Bandwidth();
        long second = 1_000_000_000L;
        for (int s = 0; s <= Bandwidth.WINDOW_SECONDS; s++) {
            bandwidth.add(1000, s * second);
            bandwidth.add(1000, s * second + second / 2);
        }
        long now = Bandwidth.WINDOW_SECONDS * second + second / 2;
        assertThat(bandwidth.bytesPerSecond(now)).isEqualTo(2000);
        assertThat(bandwidth.bitsPerSecond(now)).isEqualTo(16000);
        assertThat(bandwidth.total()).isEqualTo(2000L * (Bandwidth.WINDOW_SECONDS + 1));
        assertThat(bandwidth.bytesPerSecond(now + (Bandwidth.WINDOW_SECONDS + 1) * second)).isZero();
    }

    @Test
    void closedClientsKeepTheirBytesInTheTotalsAndReachTheCloseListenerOnce() {
        java.util.List<Client> closed = new java.util.ArrayList<>();
        clients.onClose(closed::add);
        Client client = clients.open(Client.Protocol.RTMP, new InetSocketAddress("10.0.0.1", 1), 0);
        client.addBytesIn(100);
        client.addBytesOut(250);
        assertThat(clients.bytesIn()).isEqualTo(100);
        clients.close(client);
        clients.close(client);
        assertThat(closed).containsExactly(client);
        assertThat(clients.openCount()).isZero();
        assertThat(clients.bytesIn()).isEqualTo(100);
        assertThat(clients.bytesOut()).isEqualTo(250);
    }
}
