package io.tributary.group.coordinator;

import io.tributary.common.zk.GroupPartitionOwner;
import io.tributary.group.consumer.ConsumerGroup;
import io.tributary.group.membership.ClassicGroup;
import io.tributary.group.membership.GroupIds;
import io.tributary.group.membership.GroupRegistry;
import io.tributary.group.membership.MembershipManager;
import io.tributary.group.txnoffset.PendingTxnOffsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarker;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData.WritableTxnMarkerTopic;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.TxnOffsetCommitRequest;
import org.apache.kafka.common.requests.WriteTxnMarkersResponse;

/**
 * The group side of transactions: TxnOffsetCommit (the KIP-447 member checks, then the offsets
 * staged in {@link PendingTxnOffsets}) and the transaction coordinator's WriteTxnMarkers for the
 * groups' pseudo-partitions {@code __consumer_offsets-p} (p = the group partition), which commit
 * or drop what a producer staged in the groups of p. Answers on the database executor. Thread-safe.
 */
final class TransactionalOffsets {

    private final PendingTxnOffsets pending;
    private final MembershipManager membership;
    private final GroupRegistry registry;
    private final ConsumerProtocolGroups consumerGroups;
    private final Executor databaseExecutor;

    TransactionalOffsets(
            PendingTxnOffsets pending,
            MembershipManager membership,
            GroupRegistry registry,
            ConsumerProtocolGroups consumerGroups,
            Executor databaseExecutor) {
        this.pending = pending;
        this.membership = membership;
        this.registry = registry;
        this.consumerGroups = consumerGroups;
        this.databaseExecutor = databaseExecutor;
    }

    /**
     * As Kafka: a producer without the consumer's group metadata (generation -1, no member id)
     * may commit into any group; with it, the member and generation must be current (KIP-447), so
     * that a zombie that lost its partitions in a rebalance cannot commit for them.
     */
    CompletableFuture<TxnOffsetCommitResponseData> commit(RequestContext context, TxnOffsetCommitRequestData request) {
        String groupId = request.groupId();
        if (!GroupIds.isValid(groupId)) {
            return done(TxnOffsetCommitRequest.getErrorResponse(request, Errors.INVALID_GROUP_ID));
        }
        boolean anonymous = request.generationId() < 0
                && (request.memberId() == null || request.memberId().isEmpty())
                && request.groupInstanceId() == null;
        ConsumerGroup consumerGroup = consumerGroups.group(groupId);
        if (consumerGroup != null) {
            Errors error = consumerGroups.checkFetch(groupId, request.memberId(), request.generationId());
            return error == Errors.NONE ? stage(context, request) : failed(request, error);
        }
        return registry.lookup(groupId).thenCompose(existing -> {
            ClassicGroup group = existing;
            if (group == null) {
                if (request.generationId() >= 0) {
                    return failed(request, Errors.ILLEGAL_GENERATION);
                }
                group = registry.getOrCreateSimple(groupId);
            }
            if (!anonymous) {
                Errors error = membership
                        .validateOffsetCommit(
                                group, request.memberId(), request.groupInstanceId(), request.generationId())
                        .error();
                if (error != Errors.NONE) {
                    return failed(request, error);
                }
            }
            return stage(context, request);
        });
    }

    /** The group's partitions whose offsets a transaction has staged and not yet decided. */
    Set<TopicPartition> unstable(String groupId) {
        return pending.pendingPartitions(groupId);
    }

    /**
     * Ends the producers' transactions in the groups of the named group partitions. A partition
     * holding a group this instance does not serve (any more) is {@code NOT_COORDINATOR}, and the
     * transaction coordinator retries it with the group's new owner; other topics are refused.
     */
    CompletableFuture<WriteTxnMarkersResponseData> writeMarkers(WriteTxnMarkersRequestData request) {
        return CompletableFuture.supplyAsync(
                () -> {
                    Map<Long, Map<TopicPartition, Errors>> errors = new HashMap<>();
                    for (WritableTxnMarker marker : request.markers()) {
                        errors.put(marker.producerId(), endMarker(marker));
                    }
                    return new WriteTxnMarkersResponse(errors).data();
                },
                databaseExecutor);
    }

    private Map<TopicPartition, Errors> endMarker(WritableTxnMarker marker) {
        Map<TopicPartition, Errors> errors = new HashMap<>();
        Set<Integer> groupPartitions = new HashSet<>();
        for (WritableTxnMarkerTopic topic : marker.topics()) {
            for (int partition : topic.partitionIndexes()) {
                TopicPartition tp = new TopicPartition(topic.name(), partition);
                boolean valid = GroupPartitionOwner.TRANSACTION_MARKER_TOPIC.equals(topic.name()) && partition >= 0;
                errors.put(tp, valid ? Errors.NONE : Errors.UNKNOWN_TOPIC_OR_PARTITION);
                if (valid) {
                    groupPartitions.add(partition);
                }
            }
        }
        Set<String> groups = pending.groupsOf(marker.producerId(), groupPartitions);
        Set<String> served = new HashSet<>();
        for (String group : groups) {
            if (registry.serves(group)) {
                served.add(group);
            } else {
                errors.put(
                        new TopicPartition(
                                GroupPartitionOwner.TRANSACTION_MARKER_TOPIC, GroupPartitionOwner.partitionOf(group)),
                        Errors.NOT_COORDINATOR);
            }
        }
        pending.complete(marker.producerId(), served, marker.transactionResult());
        return errors;
    }

    private CompletableFuture<TxnOffsetCommitResponseData> stage(
            RequestContext context, TxnOffsetCommitRequestData request) {
        return CompletableFuture.supplyAsync(() -> pending.stage(request, context.clientId()), databaseExecutor);
    }

    private static CompletableFuture<TxnOffsetCommitResponseData> failed(
            TxnOffsetCommitRequestData request, Errors error) {
        return done(TxnOffsetCommitRequest.getErrorResponse(request, error));
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
