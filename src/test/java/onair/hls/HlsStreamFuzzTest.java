package onair.hls;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import onair.config.ServerConfig;
import onair.media.MediaFrame;
import onair.stream.LiveOptions;
import onair.stream.Publication;
import onair.stream.StreamKey;
import onair.stream.StreamRegistry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Publishes arbitrary audio and video tag bodies (after a valid H.264 and AAC sequence header, or not) into a stream
 * written as HLS: the publisher never sees an exception, whatever the frames hold, and a playlist is written once
 * a segment is.
 */
class HlsStreamFuzzTest {

    private static final byte[] AVC_HEADER = {0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1e, (byte) 0xff, (byte) 0xe1, 0, 0x1a,
        0x67, 0x64, 0x00, 0x1e, (byte) 0xac, (byte) 0xd9, 0x40, (byte) 0xa0, 0x2f, (byte) 0xf9, 0x70, 0x11, 0, 0, 3, 0,
        1, 0, 0, 3, 0, 0x3c, 0x0f, 0x16, 0x2d, (byte) 0x96, 1, 0, 6, 0x68, (byte) 0xeb, (byte) 0xe3, (byte) 0xcb, 0x22,
        (byte) 0xc0};
    private static final byte[] AAC_HEADER = {(byte) 0xaf, 0, 0x12, 0x10};

    @FuzzTest(maxDuration = "30s")
    void anyFramesAreMuxedOrSkippedWithoutDisturbingThePublisher(FuzzedDataProvider data) throws IOException {
        Path dir = Files.createTempDirectory("hls-fuzz");
        try {
            boolean fmp4 = data.consumeBoolean();
            ServerConfig config = ServerConfig.parse("rtmp { server { listen 1935; application live { live on; "
                + "hls on; hls_path " + dir + "; hls_fragment 100ms; hls_segment_type " + (fmp4 ? "fmp4" : "mpegts")
                + "; } } }", "fuzz.conf");
            StreamRegistry registry = new StreamRegistry();
            HlsOutput output = new HlsOutput(() -> config);
            registry.observe(output);
            Publication publication = registry.stream(new StreamKey("live", "f"), LiveOptions.defaults()).publish();
            int timestamp = 0;
            if (data.consumeBoolean()) {
                publication.send(MediaFrame.of(MediaFrame.Kind.VIDEO, 0, Unpooled.wrappedBuffer(AVC_HEADER)));
                publication.send(MediaFrame.of(MediaFrame.Kind.AUDIO, 0, Unpooled.wrappedBuffer(AAC_HEADER)));
            }
            while (data.remainingBytes() > 0) {
                MediaFrame.Kind kind = data.consumeBoolean() ? MediaFrame.Kind.VIDEO : MediaFrame.Kind.AUDIO;
                timestamp += data.consumeInt(0, 200);
                byte[] body = data.consumeBytes(data.consumeInt(0, 300));
                publication.send(MediaFrame.of(kind, timestamp, Unpooled.wrappedBuffer(body)));
            }
            publication.close();
            output.close();
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.filter(file -> file.getFileName().toString().startsWith(".")).toList())
                    .as("no temporary file left").isEmpty();
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }
}
