package io.tributary.storage.log;

import java.util.Optional;

/**
 * A record found by timestamp (ListOffsets): its timestamp, its offset and the leader epoch of its
 * batch (empty when unknown).
 */
public record TimestampAndOffset(long timestamp, long offset, Optional<Integer> leaderEpoch) {}
