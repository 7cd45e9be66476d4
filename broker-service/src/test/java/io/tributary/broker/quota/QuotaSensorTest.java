package io.tributary.broker.quota;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuotaSensorTest {

    @Test
    void shouldNotThrottleWithinTheQuota() {
        QuotaSensor sensor = new QuotaSensor(11, 1000, false, 0);
        // a new sensor's rate is taken over at least 10 samples: 900 bytes are 90 B/s
        assertThat(sensor.record(900, 100, 0)).isZero();
        assertThat(sensor.rate(0)).isEqualTo(90.0);
    }

    @Test
    void shouldThrottleForTheTimeTheWindowNeedsToFallBackToTheQuota() {
        QuotaSensor sensor = new QuotaSensor(11, 1000, false, 0);
        // 3000 bytes over a 10 s window: 300 B/s against 100 B/s takes (300 - 100) / 100 × 10 s
        assertThat(sensor.record(3000, 100, 0)).isEqualTo(20_000);
        assertThat(sensor.throttleMsTotal()).isEqualTo(20_000);
    }

    @Test
    void shouldMeasureOverTheElapsedSamplesOnceTheWindowIsFull() {
        QuotaSensor sensor = new QuotaSensor(2, 1000, false, 0);
        for (long t = 0; t < 3000; t += 100) {
            sensor.record(10, 1_000_000, t);
        }
        // two samples: the last two seconds (10 records each) at 100 B/s, the first second expired
        assertThat(sensor.rate(2999)).isBetween(95.0, 105.0);
        // 400 more bytes in the current sample: about 300 B/s over ~2 s against 200 B/s
        long throttle = sensor.record(400, 200, 2999);
        assertThat(throttle).isBetween(900L, 1100L);
    }

    @Test
    void shouldCapTheRequestTimeThrottleAtOneSample() {
        QuotaSensor sensor = new QuotaSensor(11, 1000, true, 0);
        assertThat(sensor.record(3000, 100, 0)).isEqualTo(1000);
    }
}
