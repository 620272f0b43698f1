package onair.hls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import onair.config.HlsConfig;
import onair.config.ServerConfig;
import onair.media.Codec;
import onair.testing.Frames;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class SegmentFormatTest {

    private static final int TS_PACKET = 188;
    private static final byte[] RAW_AAC = {0x21, 0x10, 0x05};

    @Test
    void anMpegTsSegmentStartsWithItsTablesAndHoldsAudioUntilItEnds() {
        HlsConfig config = config("");
        Tracks tracks = tracks();
        AacPacker packer = new AacPacker(config);
        TsSegments format = new TsSegments(config, tracks, packer);
        try {
            format.open(0, 0);
            assertThat(format.bytes()).as("PAT and PMT").isEqualTo(2 * TS_PACKET);

            ByteBuf sample = format.audioSample(Unpooled.wrappedBuffer(RAW_AAC), 0, RAW_AAC.length);
            try {
                assertThat(sample.readableBytes()).as("ADTS header and frame").isEqualTo(7 + RAW_AAC.length);
                format.audio(0, sample);
            } finally {
                sample.release();
            }
            assertThat(format.bytes()).as("gathered, not yet muxed").isEqualTo(2 * TS_PACKET);

            SegmentFormat.Finished finished = format.finish(1800);
            assertThat(finished.bytes()).hasSize(3 * TS_PACKET);
            assertThat(finished.bytes()[2 * TS_PACKET]).as("sync byte").isEqualTo((byte) 0x47);
            assertThat(finished.initName()).isNull();
            assertThat(finished.init()).isNull();
            assertThat(finished.parts()).isEmpty();
        } finally {
            format.release();
            packer.release();
        }
    }

    @Test
    void fmp4SegmentsKeepTheirInitSegmentUntilTheTracksChange() {
        HlsConfig config = config("hls_segment_type fmp4;");
        Tracks tracks = tracks();
        Fmp4Segments format = new Fmp4Segments(tracks, HlsOutput.Layout.of(config, "s"), null);
        try {
            format.open(0, 0);
            SegmentFormat.Finished first = format.finish(90_000);
            format.open(90_000, 1);
            SegmentFormat.Finished second = format.finish(180_000);
            byte[] record = Arrays.copyOfRange(Frames.avcSequenceHeader(), 5, Frames.avcSequenceHeader().length);
            record[3] = 0x20;
            tracks.configureVideo(Codec.H264, record);
            format.open(180_000, 2);
            SegmentFormat.Finished third = format.finish(270_000);

            assertThat(first.initName()).isEqualTo("s-init-0.mp4");
            assertThat(second.initName()).isEqualTo("s-init-0.mp4");
            assertThat(second.init()).isEqualTo(first.init());
            assertThat(third.initName()).isEqualTo("s-init-2.mp4");
            assertThat(third.init()).isNotEqualTo(first.init());
        } finally {
            format.release();
        }
    }

    private static Tracks tracks() {
        Tracks tracks = new Tracks();
        byte[] avc = Frames.avcSequenceHeader();
        tracks.configureVideo(Codec.H264, Arrays.copyOfRange(avc, 5, avc.length));
        byte[] aac = Frames.aacSequenceHeader();
        tracks.configureAudio(Arrays.copyOfRange(aac, 2, aac.length));
        return tracks;
    }

    private static HlsConfig config(String directives) {
        return ServerConfig.parse("rtmp { server { listen 1935; application live { live on; hls on; "
            + "hls_path /tmp/hls; " + directives + " } } }", "t.conf").application("live").orElseThrow().hls();
    }
}
