package onair.relay;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {

    @Test
    void delaysDoubleFromTheFirstUpToTenTimesItAndStartAgainAfterAReset() {
        Backoff backoff = new Backoff(Duration.ofMillis(200));

        assertThat(IntStream.range(0, 7).mapToLong(i -> backoff.next()).toArray())
            .containsExactly(200, 400, 800, 1600, 2000, 2000, 2000);
        backoff.reset();
        assertThat(backoff.next()).isEqualTo(200);
    }

    @Test
    void noDelayExceedsThirtySecondsOrFallsBelowTheFirst() {
        Backoff slow = new Backoff(Duration.ofSeconds(5));
        assertThat(IntStream.range(0, 40).mapToLong(i -> slow.next()).max().orElseThrow()).isEqualTo(30_000);

        Backoff huge = new Backoff(Duration.ofMinutes(2));
        assertThat(huge.next()).isEqualTo(120_000);
        assertThat(huge.next()).isEqualTo(120_000);
    }
}
