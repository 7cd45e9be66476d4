package io.tributary.broker.cleaner;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.storage.log.cleaner.CleanerState;
import io.tributary.storage.log.cleaner.CleaningResult;
import io.tributary.storage.log.cleaner.LogCleaner;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * The log cleaner in {@code /actuator/health} ({@code logCleaner}: per compacted partition the
 * first dirty offset, the dirty ratio and the last cleaning) and as the gauges
 * {@code tributary.log.cleaner.max.dirty.ratio} and
 * {@code tributary.log.cleaner.uncleanable.partitions} (Kafka's {@code max-dirty-percent} and
 * {@code uncleanable-partitions-count}). DOWN only when the cleaner is enabled and a thread of
 * it died: compacted topics then grow without bound.
 */
@Component("logCleaner")
class LogCleanerHealthIndicator extends AbstractHealthIndicator {

    private final LogCleaner cleaner;

    LogCleanerHealthIndicator(LogCleaner cleaner, MeterRegistry registry) {
        this.cleaner = cleaner;
        Gauge.builder(
                        "tributary.log.cleaner.max.dirty.ratio",
                        cleaner,
                        c -> c.states().stream()
                                .mapToDouble(CleanerState::dirtyRatio)
                                .max()
                                .orElse(0))
                .description("The largest dirty ratio among the compacted partitions of this broker")
                .register(registry);
        Gauge.builder(
                        "tributary.log.cleaner.uncleanable.partitions",
                        cleaner,
                        c -> c.states().stream()
                                .filter(CleanerState::uncleanable)
                                .count())
                .description("Compacted partitions the cleaner skips until restart after a failed cleaning")
                .register(registry);
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean enabled = cleaner.config().enable();
        List<CleanerState> states = cleaner.states();
        Map<String, Object> partitions = new LinkedHashMap<>();
        for (CleanerState state : states) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("firstDirtyOffset", state.firstDirtyOffset());
            detail.put("dirtyRatio", Math.round(state.dirtyRatio() * 1000) / 1000.0);
            detail.put("cleaning", state.cleaning());
            detail.put("uncleanable", state.uncleanable());
            CleaningResult last = state.lastCleaning();
            if (last != null) {
                detail.put(
                        "lastCleanedAt",
                        java.time.Instant.ofEpochMilli(state.lastCleanedAtMs()).toString());
                detail.put("lastCleaningSegments", last.segmentsCleaned());
                detail.put("lastCleaningBytesRead", last.bytesRead());
                detail.put("lastCleaningBytesWritten", last.bytesWritten());
                detail.put("lastCleaningMs", last.durationMs());
            }
            partitions.put(state.topicPartition().toString(), detail);
        }
        builder.status(enabled && !cleaner.isRunning() ? "DOWN" : "UP")
                .withDetail("enabled", enabled)
                .withDetail("threads", cleaner.config().threads())
                .withDetail("partitions", partitions);
    }
}
