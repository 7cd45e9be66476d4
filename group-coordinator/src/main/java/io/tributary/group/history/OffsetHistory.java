package io.tributary.group.history;

import io.tributary.group.persistence.OffsetCommitHistoryEntity;
import io.tributary.group.persistence.OffsetCommitHistoryRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.PageRequest;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Reads and prunes the offset commit history ({@code offset_commit_history}), which
 * {@code OffsetManager} appends to with every commit. The history is in the shared store, so any
 * coordinator instance answers for any group. Every method blocks on the database. Thread-safe.
 */
public final class OffsetHistory {

    private static final Logger log = LoggerFactory.getLogger(OffsetHistory.class);

    private final OffsetCommitHistoryRepository repository;
    private final TransactionOperations transactions;
    private final Clock clock;
    private final Duration retention;

    public OffsetHistory(
            OffsetCommitHistoryRepository repository,
            TransactionOperations transactions,
            Clock clock,
            Duration retention) {
        this.repository = repository;
        this.transactions = transactions;
        this.clock = clock;
        this.retention = retention;
    }

    /** The group's last {@code limit} commits at or after {@code since} (of {@code topic} if not null), oldest first. */
    public List<CommitRecord> history(String groupId, String topic, Instant since, int limit) {
        List<CommitRecord> newestFirst = transactions.execute(
                status -> repository.findRecent(groupId, topic, since.toEpochMilli(), PageRequest.of(0, limit)).stream()
                        .map(OffsetHistory::toRecord)
                        .toList());
        List<CommitRecord> oldestFirst = new ArrayList<>(newestFirst);
        Collections.reverse(oldestFirst);
        return oldestFirst;
    }

    /** Per partition, the last commit at or before {@code at}: the group's positions as of then. */
    public List<CommitRecord> positionsAt(String groupId, String topic, Instant at) {
        return transactions.execute(status -> repository.findPositionsAt(groupId, topic, at.toEpochMilli()).stream()
                .map(OffsetHistory::toRecord)
                .sorted(Comparator.comparing(CommitRecord::topic).thenComparingInt(CommitRecord::partition))
                .toList());
    }

    /** Whether the history holds any commit of the group. */
    public boolean knows(String groupId) {
        return Boolean.TRUE.equals(transactions.execute(status -> repository.existsByGroupId(groupId)));
    }

    /** The earliest moment the history still covers. */
    public Instant retainedSince() {
        return clock.instant().minus(retention);
    }

    /** Deletes commits older than the retention; returns how many. */
    public int prune() {
        Integer deleted = transactions.execute(
                status -> repository.deleteOlderThan(retainedSince().toEpochMilli()));
        int count = deleted == null ? 0 : deleted;
        if (count > 0) {
            log.info("Offset commit history: pruned {} commits older than {}", count, retention);
        }
        return count;
    }

    private static CommitRecord toRecord(OffsetCommitHistoryEntity row) {
        return new CommitRecord(
                row.getTopic(),
                row.getPartition(),
                row.getOffset(),
                row.getLeaderEpoch(),
                row.getMetadata(),
                Instant.ofEpochMilli(row.getCommitTimestamp()),
                row.getMemberId(),
                row.getClientId());
    }
}
