package onair.exec;

import onair.config.ExecConfig;
import onair.stream.StreamKey;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;

class OutputWatchTest {

    private final Map<StreamKey, Long> frames = new ConcurrentHashMap<>();
    private final OutputWatch watch = new OutputWatch(uri -> uri.getHost().equals("127.0.0.1") && uri.getPort() == 1935,
        key -> frames.containsKey(key) ? OptionalLong.of(frames.get(key)) : OptionalLong.empty());

    private static Invocation invocation(String... line) {
        return Invocation.of(ExecConfig.Command.parse(ExecConfig.Kind.PUSH, List.of(line), false),
            Map.of("name", "cam"));
    }

    @Test
    void aChildPublishingNothingHereHasNoWatchdog() {
        assertThat(watch.apply(invocation("ffmpeg", "-i", "rtmp://127.0.0.1:1935/src/$name", "out.mp4"))).isNull();
        assertThat(watch.apply(invocation("ffmpeg", "-f", "flv", "rtmp://example.com:1935/live/$name"))).isNull();
        assertThat(watch.apply(invocation("ffmpeg", "-f", "flv", "rtmp://127.0.0.1:1936/live/$name"))).isNull();
        assertThat(watch.apply(invocation("ffmpeg", "-f", "flv", "rtmp://127.0.0.1:1935/live"))).isNull();
    }

    @Test
    void theLastFrameTimeIsWhenTheStalestOutputWasLastSeenToMove() {
        AtomicLong clock = new AtomicLong(1_000);
        OutputWatch watch = new OutputWatch(uri -> true,
            key -> frames.containsKey(key) ? OptionalLong.of(frames.get(key)) : OptionalLong.empty(), clock::get);
        LongSupplier lastFrame = watch.apply(invocation("ffmpeg", "-i", "rtmp://127.0.0.1:1935/src/$name",
            "-f", "flv", "rtmp://127.0.0.1:1935/hls/$name_low", "-f", "flv", "rtmp://127.0.0.1:1935/hls/$name_hi"));
        StreamKey low = new StreamKey("hls", "cam_low");
        StreamKey high = new StreamKey("hls", "cam_hi");

        assertThat(lastFrame.getAsLong()).as("no stream yet").isEqualTo(Long.MIN_VALUE);
        frames.put(low, 10L);
        clock.set(2_000);
        assertThat(lastFrame.getAsLong()).as("one output without frames").isEqualTo(Long.MIN_VALUE);
        frames.put(high, 5L);
        clock.set(3_000);
        assertThat(lastFrame.getAsLong()).as("low last moved at 2000").isEqualTo(2_000);
        frames.put(low, 11L);
        clock.set(4_000);
        assertThat(lastFrame.getAsLong()).as("high last moved at 3000").isEqualTo(3_000);
        frames.put(high, 1L);
        clock.set(5_000);
        assertThat(lastFrame.getAsLong()).as("a new publish counts from 1 again").isEqualTo(4_000);
        clock.set(6_000);
        assertThat(lastFrame.getAsLong()).as("nothing moved").isEqualTo(4_000);
    }

    @Test
    void anOutputThatIsNotAUrlIsIgnored() {
        assertThat(watch.apply(invocation("ffmpeg", "-f", "flv", "rtmp://127.0.0.1:1935/a b/c"))).isNull();
    }
}
