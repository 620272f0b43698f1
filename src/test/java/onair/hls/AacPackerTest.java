package onair.hls;

import io.netty.buffer.Unpooled;
import onair.config.HlsConfig;
import onair.config.ServerConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AacPackerTest {

    private static final int FRAME_AT_48K = 1920;

    @Test
    void timestampsWithinHlsSyncOfTheSampleClockFollowItAndOthersRestartIt() {
        AacPacker packer = new AacPacker(config("hls_sync 2ms;"));
        try {
            assertThat(packer.synchronize(0, 48_000)).isEqualTo(0);
            assertThat(packer.synchronize(FRAME_AT_48K + 90, 48_000)).as("1 ms off").isEqualTo(FRAME_AT_48K);
            assertThat(packer.synchronize(2 * FRAME_AT_48K - 180, 48_000)).as("2 ms off").isEqualTo(2 * FRAME_AT_48K);
            assertThat(packer.synchronize(10_000, 48_000)).as("far off: a new base").isEqualTo(10_000);
            assertThat(packer.synchronize(10_000 + FRAME_AT_48K, 48_000)).isEqualTo(10_000 + FRAME_AT_48K);
        } finally {
            packer.release();
        }
    }

    @Test
    void framesGatherWithinHlsAudioBufferSizeAndFallDueAfterHlsMaxAudioDelay() {
        AacPacker packer = new AacPacker(config("hls_audio_buffer_size 20; hls_max_audio_delay 100ms;"));
        try {
            assertThat(packer.isEmpty()).isTrue();
            packer.add(900, Unpooled.wrappedBuffer(new byte[10]));

            assertThat(packer.frames().readableBytes()).isEqualTo(10);
            assertThat(packer.pts()).isEqualTo(900);
            assertThat(packer.fits(10)).isTrue();
            assertThat(packer.fits(11)).isFalse();
            assertThat(packer.overdue(900 + 9000)).isFalse();
            assertThat(packer.overdue(900 + 9001)).isTrue();
            assertThat(packer.lateFor(900 + 4501)).isTrue();

            packer.clear();
            assertThat(packer.isEmpty()).isTrue();
            assertThat(packer.overdue(Long.MAX_VALUE)).isFalse();
        } finally {
            packer.release();
        }
    }

    private static HlsConfig config(String directives) {
        return ServerConfig.parse("rtmp { server { listen 1935; application live { live on; hls on; "
            + "hls_path /tmp/hls; " + directives + " } } }", "t.conf").application("live").orElseThrow().hls();
    }
}
