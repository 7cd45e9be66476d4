package io.tributary.group.offset;

import io.tributary.group.config.GroupCoordinatorProperties;
import io.tributary.group.membership.StoredGroup;
import io.tributary.group.persistence.CommittedOffsetEntity;
import io.tributary.group.persistence.CommittedOffsetKey;
import io.tributary.group.persistence.CommittedOffsetRepository;
import io.tributary.group.persistence.GroupMetadataEntity;
import io.tributary.group.persistence.GroupMetadataRepository;
import io.tributary.group.persistence.OffsetCommitHistoryEntity;
import io.tributary.group.persistence.OffsetCommitHistoryRepository;
import io.tributary.group.persistence.WriteFence;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Committed offsets on the Spring Data JPA repositories: commit, fetch, delete, expire.
 *
 * <p>Every method blocks on the database and runs its work in one transaction: call it from a
 * database thread, never from a request thread. A commit is validated per partition (metadata
 * size) but written all-or-nothing; any database failure is thrown, and the coordinator answers
 * {@code COORDINATOR_NOT_AVAILABLE} so that the client retries: a commit is never dropped
 * silently. Writes are fenced by the ownership epoch that accepted them ({@link WriteFence}). A
 * fetch the store cannot answer is answered from the offsets last acknowledged here
 * ({@link AcknowledgedOffsets}). Membership checks are not done here: the coordinator does them
 * before. Thread-safe.
 */
public final class OffsetManager {

    private static final Logger log = LoggerFactory.getLogger(OffsetManager.class);

    private final CommittedOffsetRepository offsets;
    private final GroupMetadataRepository groups;
    private final TransactionOperations transactions;
    private final Clock clock;
    private final long metadataMaxSize;
    private final OffsetCommitHistoryRepository history;
    private final WriteFence fence;
    private final AcknowledgedOffsets acknowledged = new AcknowledgedOffsets();

    /** An offset manager that keeps no commit history (tests). */
    public OffsetManager(
            CommittedOffsetRepository offsets,
            GroupMetadataRepository groups,
            TransactionOperations transactions,
            Clock clock,
            GroupCoordinatorProperties config) {
        this(offsets, groups, transactions, clock, config, null);
    }

    /** An offset manager that also appends every commit to {@code history} (when not null), in the same transaction. */
    public OffsetManager(
            CommittedOffsetRepository offsets,
            GroupMetadataRepository groups,
            TransactionOperations transactions,
            Clock clock,
            GroupCoordinatorProperties config,
            OffsetCommitHistoryRepository history) {
        this(offsets, groups, transactions, clock, config, history, WriteFence.NONE);
    }

    /** An offset manager whose writes are fenced by the ownership epoch that accepted them. */
    public OffsetManager(
            CommittedOffsetRepository offsets,
            GroupMetadataRepository groups,
            TransactionOperations transactions,
            Clock clock,
            GroupCoordinatorProperties config,
            OffsetCommitHistoryRepository history,
            WriteFence fence) {
        this.fence = fence;
        this.offsets = offsets;
        this.groups = groups;
        this.transactions = transactions;
        this.clock = clock;
        this.metadataMaxSize = config.offsetMetadataMaxSize().toBytes();
        this.history = history;
    }

    /**
     * Writes the commit. Partitions whose metadata is too long get
     * {@code OFFSET_METADATA_TOO_LARGE} and are not written; the others are written together.
     * If {@code newGroup} is given and the group has no metadata row yet, the row is created in
     * the same transaction (a simple group made by an admin or standalone commit).
     */
    public OffsetCommitResponseData commit(OffsetCommitRequestData request, StoredGroup newGroup) {
        return commit(request, newGroup, "");
    }

    /** {@link #commit(OffsetCommitRequestData, StoredGroup)}, recording {@code clientId} in the history. */
    public OffsetCommitResponseData commit(OffsetCommitRequestData request, StoredGroup newGroup, String clientId) {
        return commit(request, newGroup, clientId, fence.epochOf(request.groupId()));
    }

    /**
     * The commit, accepted now under this instance's ownership epoch of the group and written on
     * {@code executor}: if the group moves to another instance meanwhile and that one writes, this
     * commit fails with NOT_COORDINATOR rather than overwrite it.
     */
    public CompletableFuture<OffsetCommitResponseData> commitAsync(
            OffsetCommitRequestData request, StoredGroup newGroup, String clientId, Executor executor) {
        long epoch = fence.epochOf(request.groupId());
        return CompletableFuture.supplyAsync(() -> commit(request, newGroup, clientId, epoch), executor);
    }

    private OffsetCommitResponseData commit(
            OffsetCommitRequestData request, StoredGroup newGroup, String clientId, long epoch) {
        long now = clock.millis();
        Long expireTimestamp = request.retentionTimeMs() > 0 ? now + request.retentionTimeMs() : null;
        OffsetCommitResponseData response = new OffsetCommitResponseData();
        List<CommittedOffset> toWrite = new ArrayList<>();
        for (OffsetCommitRequestTopic topic : request.topics()) {
            OffsetCommitResponseTopic topicResponse =
                    new OffsetCommitResponseTopic().setName(topic.name()).setTopicId(topic.topicId());
            response.topics().add(topicResponse);
            for (OffsetCommitRequestPartition partition : topic.partitions()) {
                String metadata = partition.committedMetadata();
                Errors error = validate(topic.name(), partition.partitionIndex(), metadata);
                if (error == Errors.NONE) {
                    toWrite.add(new CommittedOffset(
                            topic.name(),
                            partition.partitionIndex(),
                            partition.committedOffset(),
                            partition.committedLeaderEpoch(),
                            metadata,
                            now,
                            expireTimestamp));
                }
                topicResponse
                        .partitions()
                        .add(new OffsetCommitResponsePartition()
                                .setPartitionIndex(partition.partitionIndex())
                                .setErrorCode(error.code()));
            }
        }
        if (!toWrite.isEmpty() || newGroup != null) {
            try {
                write(request.groupId(), toWrite, newGroup, request.memberId(), clientId, epoch);
            } catch (DataIntegrityViolationException e) {
                // two first commits of the same partition raced on the insert: the loser retries once
                write(request.groupId(), toWrite, newGroup, request.memberId(), clientId, epoch);
            }
        }
        return response;
    }

    /**
     * Writes offsets decided elsewhere (a committed transaction's, see {@code txnoffset}), with
     * their history rows; joins the caller's database transaction when there is one.
     */
    public void commitDecided(String groupId, List<CommittedOffset> toWrite, String memberId, String clientId) {
        write(groupId, toWrite, null, memberId, clientId, fence.epochOf(groupId));
    }

    /** The error of one partition's commit: {@code OFFSET_METADATA_TOO_LARGE}, {@code UNKNOWN_TOPIC_OR_PARTITION}, or none. */
    public Errors validate(String topic, int partition, String metadata) {
        if (metadata != null && metadata.length() > metadataMaxSize) {
            return Errors.OFFSET_METADATA_TOO_LARGE;
        }
        if (topic == null || topic.isEmpty() || partition < 0) {
            return Errors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        return Errors.NONE;
    }

    private void write(
            String groupId,
            List<CommittedOffset> toWrite,
            StoredGroup newGroup,
            String memberId,
            String clientId,
            long epoch) {
        boolean readBack = !acknowledged.knows(groupId);
        List<CommittedOffset> all = transactions.execute(status -> {
            fence.check(groupId, epoch);
            if (newGroup != null && groups.findById(groupId).isEmpty()) {
                groups.save(new GroupMetadataEntity(
                        newGroup.groupId(),
                        newGroup.protocolType(),
                        newGroup.protocolName(),
                        newGroup.generationId(),
                        newGroup.state(),
                        newGroup.stateTimestampMs()));
            }
            for (CommittedOffset o : toWrite) {
                CommittedOffsetKey key = new CommittedOffsetKey(groupId, o.topic(), o.partition());
                Optional<CommittedOffsetEntity> existing = offsets.findById(key);
                if (existing.isPresent()) {
                    existing.get()
                            .update(
                                    o.offset(),
                                    o.leaderEpoch(),
                                    o.metadata(),
                                    o.commitTimestampMs(),
                                    o.expireTimestampMs());
                } else {
                    offsets.save(new CommittedOffsetEntity(
                            key,
                            o.offset(),
                            o.leaderEpoch(),
                            o.metadata(),
                            o.commitTimestampMs(),
                            o.expireTimestampMs()));
                }
                if (history != null) {
                    history.save(new OffsetCommitHistoryEntity(
                            groupId,
                            o.topic(),
                            o.partition(),
                            o.offset(),
                            o.leaderEpoch(),
                            o.metadata(),
                            o.commitTimestampMs(),
                            memberId,
                            clientId));
                }
            }
            // the first commit here reads its group back, so that a fetch can be answered without the store
            return readBack ? readGroup(groupId) : null;
        });
        acknowledged.committed(groupId, toWrite, all);
        if (log.isDebugEnabled()) {
            log.debug("Group {}: committed {} offsets", groupId, toWrite.size());
        }
    }

    /**
     * Every committed offset of the group. When the store cannot be read, the offsets this instance
     * last acknowledged for the group (see {@link AcknowledgedOffsets}); the store's failure is
     * thrown only for a group it has not read or written since it began serving it.
     */
    public List<CommittedOffset> fetch(String groupId) {
        try {
            List<CommittedOffset> all = transactions.execute(status -> readGroup(groupId));
            acknowledged.loaded(groupId, all);
            return all;
        } catch (DataAccessException | TransactionException e) {
            List<CommittedOffset> last = acknowledged.get(groupId);
            if (last == null) {
                throw e;
            }
            log.warn(
                    "Group {}: the store cannot be read ({}); answering the {} offsets last acknowledged here",
                    groupId,
                    e.getMostSpecificCause(),
                    last.size());
            return last;
        }
    }

    /** Forgets what was acknowledged for the groups {@code unloaded} accepts: they are served elsewhere now. */
    public void unload(Predicate<String> unloaded) {
        acknowledged.forget(unloaded);
    }

    private List<CommittedOffset> readGroup(String groupId) {
        return offsets.findByKeyGroupId(groupId).stream()
                .map(OffsetManager::toCommitted)
                .toList();
    }

    /** Deletes all offsets of the group; returns how many there were. */
    public int deleteGroupOffsets(String groupId) {
        long epoch = fence.epochOf(groupId);
        Integer deleted = transactions.execute(status -> {
            fence.check(groupId, epoch);
            return offsets.deleteByGroupId(groupId);
        });
        acknowledged.forget(groupId);
        log.info("Group {}: deleted {} committed offsets", groupId, deleted);
        return deleted == null ? 0 : deleted;
    }

    /** Deletes the group's offsets of these partitions (OffsetDelete). */
    public void deleteOffsets(String groupId, Collection<TopicPartition> partitions) {
        long epoch = fence.epochOf(groupId);
        transactions.executeWithoutResult(status -> {
            fence.check(groupId, epoch);
            partitions.forEach(tp -> offsets.deleteByKey(new CommittedOffsetKey(groupId, tp.topic(), tp.partition())));
        });
        acknowledged.deleted(groupId, partitions);
    }

    /** Groups that have committed offsets. */
    public List<String> groupsWithOffsets() {
        return transactions.execute(status -> offsets.findGroupIds());
    }

    /**
     * Deletes the group's offsets whose retention has passed: those with an explicit expiry
     * before {@code nowMs}, and the others once {@code retentionMs} has passed since
     * {@code max(commit time, baseTimestampMs)} (the time the group became Empty, or 0 for a
     * simple group). An offset committed again since it was read is left alone.
     *
     * @return the number of offsets the group has left
     */
    public int expire(String groupId, long baseTimestampMs, long retentionMs, long nowMs) {
        return expire(groupId, baseTimestampMs, retentionMs, nowMs, Set.of());
    }

    /**
     * As {@link #expire(String, long, long, long)}, but the offsets of {@code undecided}
     * partitions stay whatever their age: a transaction has offsets staged for them, and Kafka
     * expires none until it is decided.
     */
    public int expire(
            String groupId, long baseTimestampMs, long retentionMs, long nowMs, Set<TopicPartition> undecided) {
        long epoch = fence.epochOf(groupId);
        Integer left = transactions.execute(status -> {
            fence.check(groupId, epoch);
            int remaining = 0;
            for (CommittedOffsetEntity row : offsets.findByKeyGroupId(groupId)) {
                if (undecided.contains(
                        new TopicPartition(row.getKey().getTopic(), row.getKey().getPartition()))) {
                    remaining++;
                    continue;
                }
                long expiresAt = row.getExpireTimestamp() != null
                        ? row.getExpireTimestamp()
                        : Math.max(row.getCommitTimestamp(), baseTimestampMs) + retentionMs;
                if (nowMs >= expiresAt && offsets.deleteIfUnchanged(row.getKey(), row.getCommitTimestamp()) > 0) {
                    log.info("Group {}: committed offset {} of {} expired", groupId, row.getOffset(), row.getKey());
                } else {
                    remaining++;
                }
            }
            return remaining;
        });
        // read afresh by the next fetch: which rows expired is known only inside the transaction
        acknowledged.forget(groupId);
        return left == null ? 0 : left;
    }

    private static CommittedOffset toCommitted(CommittedOffsetEntity row) {
        return new CommittedOffset(
                row.getKey().getTopic(),
                row.getKey().getPartition(),
                row.getOffset(),
                row.getLeaderEpoch(),
                row.getMetadata(),
                row.getCommitTimestamp(),
                row.getExpireTimestamp());
    }
}
