package io.tributary.group.history;

import java.time.Instant;

/**
 * One partition's offset in one past commit, as the history keeps it.
 *
 * @param topic       the topic
 * @param partition   the partition
 * @param offset      the committed offset
 * @param leaderEpoch the committed leader epoch, -1 if the client sent none
 * @param metadata    the committed metadata string, may be null
 * @param commitTime  when the coordinator wrote the commit
 * @param memberId    the committing member, empty for a commit without membership (admin, reset)
 * @param clientId    the committing client's {@code client.id}
 */
public record CommitRecord(
        String topic,
        int partition,
        long offset,
        int leaderEpoch,
        String metadata,
        Instant commitTime,
        String memberId,
        String clientId) {}
