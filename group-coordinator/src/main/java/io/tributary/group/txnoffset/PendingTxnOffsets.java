package io.tributary.group.txnoffset;

import io.tributary.common.zk.GroupPartitionOwner;
import io.tributary.group.offset.CommittedOffset;
import io.tributary.group.offset.OffsetManager;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Offsets committed inside producers' transactions (Kafka's pending transactional offsets of
 * {@code OffsetMetadataManager}, KIP-98/KIP-447), kept per (group, producer id) in the shared
 * store until the transaction is decided: {@link #stage} on TxnOffsetCommit, {@link #complete}
 * when the transaction coordinator's COMMIT or ABORT marker for the group's partition arrives
 * (committed offsets then become visible, with their history row, at the marker's time; aborted
 * ones are dropped). While a partition has pending offsets, OffsetFetch with
 * {@code require_stable} answers it {@code UNSTABLE_OFFSET_COMMIT} ({@link #pendingPartitions}).
 *
 * <p>Every method blocks on the database, each in one transaction: call them on the database
 * executor. Membership checks are the coordinator's, done before. Thread-safe (stateless apart
 * from the repositories).
 */
public final class PendingTxnOffsets {

    private static final Logger log = LoggerFactory.getLogger(PendingTxnOffsets.class);

    private final PendingTxnOffsetRepository pending;
    private final OffsetManager offsets;
    private final TransactionOperations transactions;
    private final Clock clock;
    /**
     * The staged partitions this instance knows of, per group and producer: what OffsetFetch is
     * answered from while the store cannot be read (a full disk). Added to by staging and by every
     * read of the store, removed from when this instance ends a transaction; an entry left from a
     * transaction ended elsewhere only makes a fetch during an outage answer UNSTABLE_OFFSET_COMMIT,
     * which the consumer retries, never a stale committed offset.
     */
    private final Map<String, Map<Long, Set<TopicPartition>>> known = new ConcurrentHashMap<>();

    public PendingTxnOffsets(
            PendingTxnOffsetRepository pending,
            OffsetManager offsets,
            TransactionOperations transactions,
            Clock clock) {
        this.pending = pending;
        this.offsets = offsets;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Stages the request's offsets for its producer's open transaction; too-long metadata is refused per partition. */
    public TxnOffsetCommitResponseData stage(TxnOffsetCommitRequestData request, String clientId) {
        long now = clock.millis();
        TxnOffsetCommitResponseData response = new TxnOffsetCommitResponseData();
        List<PendingTxnOffsetEntity> rows = new ArrayList<>();
        for (TxnOffsetCommitRequestTopic topic : request.topics()) {
            TxnOffsetCommitResponseTopic topicResponse = new TxnOffsetCommitResponseTopic().setName(topic.name());
            response.topics().add(topicResponse);
            for (TxnOffsetCommitRequestPartition partition : topic.partitions()) {
                String metadata = partition.committedMetadata();
                Errors error = offsets.validate(topic.name(), partition.partitionIndex(), metadata);
                if (error == Errors.NONE) {
                    rows.add(new PendingTxnOffsetEntity(
                            request.groupId(),
                            request.producerId(),
                            request.producerEpoch(),
                            topic.name(),
                            partition.partitionIndex(),
                            partition.committedOffset(),
                            partition.committedLeaderEpoch(),
                            metadata,
                            now,
                            request.memberId() == null ? "" : request.memberId(),
                            clientId == null ? "" : clientId));
                }
                topicResponse
                        .partitions()
                        .add(new TxnOffsetCommitResponsePartition()
                                .setPartitionIndex(partition.partitionIndex())
                                .setErrorCode(error.code()));
            }
        }
        transactions.executeWithoutResult(status -> rows.forEach(row -> {
            pending.deleteStaged(row.getGroupId(), row.getProducerId(), row.getTopic(), row.getPartition());
            pending.save(row);
        }));
        remember(rows);
        log.debug(
                "Group {}: staged {} offsets of producer {}'s transaction",
                request.groupId(),
                rows.size(),
                request.producerId());
        return response;
    }

    /** The group's partitions with offsets of an undecided transaction. */
    public Set<TopicPartition> pendingPartitions(String groupId) {
        try {
            List<PendingTxnOffsetEntity> rows = transactions.execute(status -> pending.findByGroupId(groupId));
            remember(rows);
            return rows.stream()
                    .map(row -> new TopicPartition(row.getTopic(), row.getPartition()))
                    .collect(Collectors.toSet());
        } catch (DataAccessException | TransactionException e) {
            log.debug("Group {}: staged offsets answered from memory, the store cannot be read", groupId, e);
            return known.getOrDefault(groupId, Map.of()).values().stream()
                    .flatMap(Set::stream)
                    .collect(Collectors.toSet());
        }
    }

    private void remember(List<PendingTxnOffsetEntity> rows) {
        for (PendingTxnOffsetEntity row : rows) {
            known.computeIfAbsent(row.getGroupId(), g -> new ConcurrentHashMap<>())
                    .computeIfAbsent(row.getProducerId(), p -> ConcurrentHashMap.newKeySet())
                    .add(new TopicPartition(row.getTopic(), row.getPartition()));
        }
    }

    /**
     * DeleteGroups: the group's committed offsets and the offsets staged in it by transactions
     * not yet decided, in one database transaction, as Kafka's coordinator deletes both; a COMMIT
     * marker that arrives later finds nothing of the group to make visible.
     *
     * @return how many staged offsets were dropped
     */
    public int deleteGroupOffsets(String groupId) {
        Integer dropped = transactions.execute(status -> {
            int staged = pending.deleteByGroupId(groupId);
            offsets.deleteGroupOffsets(groupId);
            return staged;
        });
        known.remove(groupId);
        int count = dropped == null ? 0 : dropped;
        if (count > 0) {
            log.info("Group {}: deleted {} offsets of undecided transactions", groupId, count);
        }
        return count;
    }

    /**
     * OffsetDelete: the group's committed offsets of {@code partitions} and the offsets staged for
     * them by undecided transactions, in one database transaction, as Kafka deletes both.
     */
    public void deleteOffsets(String groupId, Collection<TopicPartition> partitions) {
        transactions.executeWithoutResult(status -> {
            partitions.forEach(tp -> pending.deleteByPartition(groupId, tp.topic(), tp.partition()));
            offsets.deleteOffsets(groupId, partitions);
        });
        known.computeIfPresent(groupId, (g, byProducer) -> {
            byProducer.values().forEach(staged -> staged.removeAll(partitions));
            byProducer.values().removeIf(Set::isEmpty);
            return byProducer.isEmpty() ? null : byProducer;
        });
    }

    /** The groups with offsets staged by {@code producerId} whose group partition is one of {@code groupPartitions}. */
    public Set<String> groupsOf(long producerId, Set<Integer> groupPartitions) {
        return transactions.execute(status -> pending.findByProducerId(producerId).stream()
                .map(PendingTxnOffsetEntity::getGroupId)
                .filter(group -> groupPartitions.contains(GroupPartitionOwner.partitionOf(group)))
                .collect(Collectors.toSet()));
    }

    /**
     * Ends {@code producerId}'s transaction in {@code groups}: on commit its staged offsets become
     * the committed ones (with history rows, stamped now, when they became visible), on abort they
     * are dropped. One database transaction, so a failure leaves them staged for the retried marker.
     *
     * @return how many offsets were ended
     */
    public int complete(long producerId, Set<String> groups, boolean commit) {
        long now = clock.millis();
        Integer ended = transactions.execute(status -> {
            List<PendingTxnOffsetEntity> rows = pending.findByProducerId(producerId).stream()
                    .filter(row -> groups.contains(row.getGroupId()))
                    .toList();
            if (commit) {
                Map<List<String>, List<CommittedOffset>> byWriter = new LinkedHashMap<>();
                for (PendingTxnOffsetEntity row : rows) {
                    byWriter.computeIfAbsent(
                                    List.of(row.getGroupId(), row.getMemberId(), row.getClientId()),
                                    k -> new ArrayList<>())
                            .add(new CommittedOffset(
                                    row.getTopic(),
                                    row.getPartition(),
                                    row.getOffset(),
                                    row.getLeaderEpoch(),
                                    row.getMetadata(),
                                    now,
                                    null));
                }
                byWriter.forEach((writer, committed) ->
                        offsets.commitDecided(writer.get(0), committed, writer.get(1), writer.get(2)));
            }
            rows.forEach(pending::delete);
            return rows.size();
        });
        groups.forEach(group -> known.computeIfPresent(group, (g, byProducer) -> {
            byProducer.remove(producerId);
            return byProducer.isEmpty() ? null : byProducer;
        }));
        int count = ended == null ? 0 : ended;
        if (count > 0) {
            log.info(
                    "{} {} transactional offset(s) of producer {} in group(s) {}",
                    commit ? "Committed" : "Aborted",
                    count,
                    producerId,
                    groups);
        }
        return count;
    }
}
