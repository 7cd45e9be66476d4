package io.tributary.group.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RebuiltOnReadTest {

    @Test
    void shouldBuildOnTheFirstReadAndAgainOnlyAfterAChange() {
        AtomicInteger builds = new AtomicInteger();
        RebuiltOnRead<String> value = new RebuiltOnRead<>(() -> "v" + builds.incrementAndGet(), "initial");

        assertThat(value.get()).isEqualTo("v1");
        assertThat(value.get()).isEqualTo("v1");
        value.changed();
        value.changed();
        assertThat(value.get()).isEqualTo("v2");
        assertThat(builds).hasValue(2);
    }

    @Test
    void shouldMakeAReaderWaitForABuildUnderWayInsteadOfHandingItTheOldValue() throws Exception {
        CountDownLatch building = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RebuiltOnRead<String> value = new RebuiltOnRead<>(
                () -> {
                    building.countDown();
                    await(release);
                    return "topics";
                },
                "empty");

        CompletableFuture<String> first = CompletableFuture.supplyAsync(value::get);
        assertThat(building.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<String> second = CompletableFuture.supplyAsync(value::get);
        // the second reader must not return the value from before the build
        Thread.sleep(Duration.ofMillis(200).toMillis());
        assertThat(second).isNotDone();

        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("topics");
        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("topics");
    }

    @Test
    void shouldRebuildWhenAChangeArrivesWhileBuilding() throws Exception {
        AtomicInteger builds = new AtomicInteger();
        AtomicReference<RebuiltOnRead<Integer>> holder = new AtomicReference<>();
        holder.set(new RebuiltOnRead<>(
                () -> {
                    int n = builds.incrementAndGet();
                    if (n == 1) {
                        holder.get().changed(); // the source changed after this build read it
                    }
                    return n;
                },
                0));

        assertThat(holder.get().get()).isEqualTo(1);
        assertThat(holder.get().get()).isEqualTo(2);
        assertThat(holder.get().get()).isEqualTo(2);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
