package onair.bench;

import onair.testing.Frames;
import onair.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class HlsProbeTest {

    @Test
    void measuresHowFarBehindLiveLlHlsPartsAndSegmentsAre(@TempDir Path dir) throws Exception {
        HlsProbeReport report = probe(dir, "hls_segment_type fmp4; hls_fragment 1s; hls_part 200ms;", "auto");

        assertThat(report.segmentType()).isEqualTo("fmp4");
        assertThat(report.reload()).isEqualTo("blocking");
        assertThat(report.partTargetSeconds()).isEqualTo(0.2);
        assertThat(report.partsBehindLiveMs().count()).isPositive();
        assertThat(report.partsBehindLiveMs().p50()).isPositive().isLessThan(10_000);
        assertThat(report.partsBehindLiveMs().max()).isLessThan(10_000);
        assertThat(report.segmentsBehindLiveMs().count()).isPositive();
        assertThat(report.segmentsBehindLiveMs().p50()).isGreaterThan(report.partsBehindLiveMs().p50());
        assertThat(report.unmatched()).isZero();
        assertThat(report.errors()).isZero();
        assertThat(report.toJson()).contains("\"reload\": \"blocking\"");
    }

    @Test
    void pollsMpegTsSegmentsAndReadsTheirStartFromThePcr(@TempDir Path dir) throws Exception {
        HlsProbeReport report = probe(dir, "hls_fragment 1s;", "auto");

        assertThat(report.segmentType()).isEqualTo("mpegts");
        assertThat(report.reload()).isEqualTo("polling");
        assertThat(report.partsBehindLiveMs().count()).isZero();
        assertThat(report.segmentsBehindLiveMs().count()).isPositive();
        assertThat(report.segmentsBehindLiveMs().p50()).isPositive().isLessThan(10_000);
        assertThat(report.unmatched()).isZero();
        assertThat(report.errors()).isZero();
    }

    /** Like {@link LoadGeneratorTest#syntheticFlv}, with each video frame one length-prefixed NAL unit, as MPEG-TS needs. */
    private static Path flv(Path file, int frames, int gop, int frameSize) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'F', 'L', 'V', 1, 5, 0, 0, 0, 9, 0, 0, 0, 0});
        LoadGeneratorTest.tag(out, 9, 0, Frames.avcSequenceHeader());
        LoadGeneratorTest.tag(out, 8, 0, Frames.aacSequenceHeader());
        for (int i = 0; i < frames; i++) {
            boolean key = i % gop == 0;
            byte[] body = new byte[frameSize];
            body[0] = (byte) (key ? 0x17 : 0x27);
            body[1] = 1;
            int nal = frameSize - 9;
            body[5] = (byte) (nal >> 24);
            body[6] = (byte) (nal >> 16);
            body[7] = (byte) (nal >> 8);
            body[8] = (byte) nal;
            body[9] = (byte) (key ? 0x65 : 0x41);
            LoadGeneratorTest.tag(out, 9, i * 40, body);
            LoadGeneratorTest.tag(out, 8, i * 40 + 1, Frames.audio(i, 32));
        }
        return Files.write(file, out.toByteArray());
    }

    private static HlsProbeReport probe(Path dir, String hls, String reload) throws Exception {
        Path flv = flv(dir.resolve("s.flv"), 50, 25, 2000);
        Path hlsDir = dir.resolve("hls");
        String config = "rtmp { server { listen 127.0.0.1:0; chunk_size 4000; application live { live on; hls on; "
            + "hls_path " + hlsDir + "; " + hls + " } } } "
            + "http { server { listen 127.0.0.1:0; location /hls { alias " + hlsDir + "; } } }";
        try (TestServer server = TestServer.start(config)) {
            int port = server.server().httpAddresses().getFirst().getPort();
            return HlsProbe.run(HlsProbe.Options.parse("--url", "http://127.0.0.1:" + port + "/hls/probe.m3u8",
                "--publish-url", server.url("live", "probe"), "--flv", flv.toString(), "--duration", "4",
                "--reload", reload));
        }
    }
}
