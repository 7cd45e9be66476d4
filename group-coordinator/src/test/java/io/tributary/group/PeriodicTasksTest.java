package io.tributary.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link PeriodicTasks}: every task every interval, a failing one again, none after stop. */
class PeriodicTasksTest {

    @Test
    void shouldRunEveryTaskEveryIntervalEvenAfterOneFailedUntilStopped() throws Exception {
        AtomicInteger failing = new AtomicInteger();
        AtomicInteger counting = new AtomicInteger();
        PeriodicTasks tasks = new PeriodicTasks(
                "test-tasks",
                Duration.ofMillis(50),
                () -> {
                    failing.incrementAndGet();
                    throw new IllegalStateException("store down");
                },
                counting::incrementAndGet);

        tasks.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> failing.get() >= 3 && counting.get() >= 3);
        } finally {
            tasks.stop();
        }
        assertThat(tasks.isRunning()).isFalse();
        int stoppedAt = counting.get();
        Thread.sleep(300);
        assertThat(counting.get()).as("runs after stop").isLessThanOrEqualTo(stoppedAt + 1);
    }
}
