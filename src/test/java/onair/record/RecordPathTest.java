package onair.record;

import onair.config.RecordConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** File names as nginx-rtmp's {@code ngx_rtmp_record_make_path} makes them. */
class RecordPathTest {

    /** 2026-11-30 22:30:05 UTC, a Monday. */
    private static final Instant TIME = Instant.ofEpochSecond(1_796_077_805L);

    @ParameterizedTest(name = "{0} unique={1} suffix={2} → {3}")
    @CsvSource(delimiter = '|', value = {
        "cam           |false|.flv                  |cam.flv",
        "cam           |true |.flv                  |cam-1796077805.flv",
        "cam           |false|-%Y%m%d-%H%M%S.flv    |cam-20261130-223005.flv",
        "cam           |true |_%F_%T.flv            |cam-1796077805_2026-11-30_22:30:05.flv",
        "cam           |false|-%a-%b-%e-%j-%s-%%-%q.flv|cam-Mon-Nov-30-334-1796077805-%-%q.flv",
        "a b/c?d#é     |false|.flv                  |a%20b%2Fc%3Fd%23%C3%A9.flv",
        "x-y_z.w~      |false|.mp4                  |x-y_z.w~.mp4",
        "up/../../etc  |false|.flv                  |up.flv",
    })
    void theNameIsPathEscapedStreamUniqueTimeAndSuffix(String stream, boolean unique, String suffix, String name) {
        RecordConfig.Recorder recorder = new RecordConfig.Recorder("", Set.of(RecordConfig.Flag.AUDIO),
            Path.of("/rec"), suffix, unique, false, false, 0, 0, null, false);

        assertThat(RecordPath.of(recorder, stream, TIME, ZoneId.of("UTC"))).isEqualTo(Path.of("/rec", name));
    }
}
