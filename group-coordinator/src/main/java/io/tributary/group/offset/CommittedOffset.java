package io.tributary.group.offset;

/**
 * A committed offset as the coordinator sees it (never the JPA entity).
 *
 * @param topic             topic name
 * @param partition         partition index
 * @param offset            the next offset the group reads
 * @param leaderEpoch       the leader epoch of the record before {@code offset}, -1 if unknown
 * @param metadata          the client's metadata string, {@code null} if none
 * @param commitTimestampMs wall-clock ms of the commit
 * @param expireTimestampMs explicit expiry (OffsetCommit v2-4 retention time), {@code null} if none
 */
public record CommittedOffset(
        String topic,
        int partition,
        long offset,
        int leaderEpoch,
        String metadata,
        long commitTimestampMs,
        Long expireTimestampMs) {}
