package io.tributary.storage.log.cleaner;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThrottlerTest {

    @Test
    void shouldHoldIoToTheConfiguredRate() throws InterruptedException {
        Throttler throttler = new Throttler(100_000, System::nanoTime);
        long start = System.nanoTime();
        throttler.acquire(100_000, () -> false); // the full bucket: no wait
        throttler.acquire(50_000, () -> false); // half a second of debt
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(elapsedMs).isBetween(400L, 2_000L);
    }

    @Test
    void shouldNotWaitWhenUnlimitedOrStopping() throws InterruptedException {
        long start = System.nanoTime();
        new Throttler(Double.MAX_VALUE, System::nanoTime).acquire(Long.MAX_VALUE / 2, () -> false);
        Throttler slow = new Throttler(1_000, System::nanoTime);
        slow.acquire(1_000_000, () -> true);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(300);
    }
}
