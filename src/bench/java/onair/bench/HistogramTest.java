package onair.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class HistogramTest {

    @Test
    void percentilesOfAUniformRangeStayWithinTheBucketError() {
        Histogram histogram = new Histogram();
        for (long v = 1; v <= 100_000; v++) {
            histogram.record(v);
        }
        assertThat(histogram.count()).isEqualTo(100_000);
        assertThat(histogram.max()).isEqualTo(100_000);
        assertThat((double) histogram.percentile(50)).isCloseTo(50_000, within(50_000 * 0.016));
        assertThat((double) histogram.percentile(99)).isCloseTo(99_000, within(99_000 * 0.016));
        assertThat(histogram.percentile(100)).isEqualTo(100_000);
    }

    @Test
    void smallValuesAreExactAndNegativeOnesCountAsZero() {
        Histogram histogram = new Histogram();
        histogram.record(-5);
        histogram.record(3);
        histogram.record(127);
        assertThat(histogram.percentile(1)).isZero();
        assertThat(histogram.percentile(50)).isEqualTo(3);
        assertThat(histogram.percentile(100)).isEqualTo(127);
    }

    @Test
    void everyValueFallsIntoABucketWhoseMidpointIsClose() {
        for (long v = 128; v < 1L << 40; v = v * 3 / 2 + 1) {
            long mid = Histogram.midpoint(Histogram.index(v));
            assertThat((double) mid).isCloseTo(v, within(v / 64.0 + 1));
        }
    }

    @Test
    void anEmptyHistogramReportsZero() {
        assertThat(new Histogram().percentile(99)).isZero();
        assertThat(new Histogram().max()).isZero();
    }
}
