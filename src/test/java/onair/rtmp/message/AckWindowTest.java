package onair.rtmp.message;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AckWindowTest {

    @Test
    void acknowledgesEachTimeAWindowOfBytesHasArrived() {
        AckWindow window = new AckWindow();
        window.resize(1000);

        assertThat(window.acknowledge(999)).isNull();
        assertThat(window.acknowledge(1000)).isEqualTo(new Acknowledgement(1000));
        assertThat(window.acknowledge(1999)).isNull();
        assertThat(window.acknowledge(2500)).isEqualTo(new Acknowledgement(2500));
    }

    @Test
    void withoutAWindowFromThePeerNothingIsAcknowledged() {
        AckWindow window = new AckWindow();

        assertThat(window.acknowledge(10_000_000)).isNull();
        window.resize(0);
        assertThat(window.acknowledge(20_000_000)).isNull();
    }

    @Test
    void theSequenceNumberWrapsAt32Bits() {
        AckWindow window = new AckWindow();
        window.resize(1000);

        assertThat(window.acknowledge((1L << 32) + 5)).isEqualTo(new Acknowledgement(5));
    }
}
