package io.tributary.storage.log.cleaner;

import org.apache.kafka.common.TopicPartition;

/**
 * The cleaner's view of one compacted log, for operators (the broker's Actuator).
 *
 * @param firstDirtyOffset   where the next cleaning starts (the {@code cleaner-offset-checkpoint} value)
 * @param dirtyRatio         the dirty share of the cleanable part now, against {@code min.cleanable.dirty.ratio}
 * @param cleaning           a cleaner thread works on it right now
 * @param uncleanable        a cleaning failed; it is skipped until the broker restarts
 * @param lastCleaning       the last cleaning since start, or null
 * @param lastCleanedAtMs    when it ended, -1 if none
 */
public record CleanerState(
        TopicPartition topicPartition,
        long firstDirtyOffset,
        double dirtyRatio,
        boolean cleaning,
        boolean uncleanable,
        CleaningResult lastCleaning,
        long lastCleanedAtMs) {}
