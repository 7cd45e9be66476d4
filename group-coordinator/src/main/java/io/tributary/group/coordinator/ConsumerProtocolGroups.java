package io.tributary.group.coordinator;

import io.tributary.group.consumer.ConsumerGroup;
import io.tributary.group.consumer.ConsumerGroupCoordinator;
import io.tributary.group.consumer.ConsumerGroupQueries;
import io.tributary.group.membership.GroupMetadataStore;
import io.tributary.group.membership.GroupRegistry;
import io.tributary.group.membership.MembershipManager;
import io.tributary.group.offset.OffsetManager;
import io.tributary.group.txnoffset.PendingTxnOffsets;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetCommitRequest;

/**
 * Where KIP-848 consumer groups meet the rest of the coordinator: a group id is either a classic
 * group or a consumer group, as in Kafka. A consumer heartbeat may take the id of an empty classic
 * group (its committed offsets stay) and is refused with {@code GROUP_ID_NOT_FOUND} by one with
 * members; a classic JoinGroup may take the id of an empty consumer group and is refused with
 * {@code INCONSISTENT_GROUP_PROTOCOL} by one with members. Offset commits of consumer groups are
 * checked against member epochs and written by the same {@link OffsetManager}. Only the groups this
 * instance serves ({@link GroupRegistry#serves}) are answered; the others are NOT_COORDINATOR.
 * Thread-safe.
 */
final class ConsumerProtocolGroups {

    private final ConsumerGroupCoordinator consumers;
    private final ConsumerGroupQueries queries;
    private final MembershipManager membership;
    private final GroupRegistry registry;
    private final GroupMetadataStore store;
    private final OffsetManager offsets;
    private final PendingTxnOffsets pending;
    private final Executor databaseExecutor;

    ConsumerProtocolGroups(
            ConsumerGroupCoordinator consumers,
            MembershipManager membership,
            GroupRegistry registry,
            GroupMetadataStore store,
            OffsetManager offsets,
            PendingTxnOffsets pending,
            Executor databaseExecutor) {
        this.consumers = consumers;
        this.queries = new ConsumerGroupQueries(consumers.groups(), consumers.topics(), registry::serves);
        this.membership = membership;
        this.registry = registry;
        this.store = store;
        this.offsets = offsets;
        this.pending = pending;
        this.databaseExecutor = databaseExecutor;
    }

    ConsumerGroupQueries queries() {
        return queries;
    }

    /**
     * The consumer group of that id served here, or null if it is none: unknown, a classic group,
     * or served by another instance (then the classic path's {@link GroupRegistry#lookup} answers
     * NOT_COORDINATOR).
     */
    ConsumerGroup group(String groupId) {
        return registry.serves(groupId) ? consumers.groups().get(groupId) : null;
    }

    CompletableFuture<ConsumerGroupHeartbeatResponseData> heartbeat(
            RequestContext context, ConsumerGroupHeartbeatRequestData request) {
        if (!request.groupId().isEmpty()) {
            // NOT_COORDINATOR: the member looks the coordinator up again and heartbeats there
            registry.checkServes(request.groupId());
        }
        if (request.memberEpoch() != 0
                || group(request.groupId()) != null
                || request.groupId().isEmpty()) {
            return done(consumers.heartbeat(request, context.apiVersion(), context.clientId(), context.clientHost()));
        }
        // a new consumer group: the id must not belong to a classic group with members
        return registry.lookup(request.groupId()).thenCompose(classic -> {
            if (classic != null) {
                Errors taken = membership.deleteGroup(classic);
                if (taken == Errors.NON_EMPTY_GROUP) {
                    return done(new ConsumerGroupHeartbeatResponseData()
                            .setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                            .setErrorMessage("Group " + request.groupId() + " is not a consumer group."));
                }
                // the empty classic group's row goes; its committed offsets stay for the consumer group
                return store.delete(request.groupId())
                        .thenApply(v -> consumers.heartbeat(
                                request, context.apiVersion(), context.clientId(), context.clientHost()));
            }
            return done(consumers.heartbeat(request, context.apiVersion(), context.clientId(), context.clientHost()));
        });
    }

    ConsumerGroupDescribeResponseData describe(ConsumerGroupDescribeRequestData request) {
        return queries.describe(request, GroupQueries.GROUP_OPERATIONS);
    }

    /**
     * Whether a classic JoinGroup may use the id: NONE if no consumer group holds it (an empty one
     * is given up), INCONSISTENT_GROUP_PROTOCOL if one with members does.
     */
    Errors checkClassicJoin(String groupId) {
        ConsumerGroup group = group(groupId);
        if (group == null || consumers.releaseIfEmpty(group)) {
            return Errors.NONE;
        }
        return Errors.INCONSISTENT_GROUP_PROTOCOL;
    }

    /** OffsetCommit into a consumer group: member id and epoch checked, then written. */
    CompletableFuture<OffsetCommitResponseData> commit(
            ConsumerGroup group, OffsetCommitRequestData request, RequestContext context) {
        short version = context.apiVersion();
        Errors error =
                consumers.validateOffsetRequest(group, request.memberId(), request.generationIdOrMemberEpoch(), true);
        if (error == Errors.NONE && version < 9 && request.generationIdOrMemberEpoch() >= 0) {
            // KIP-848 members commit with v9+, which carries the member epoch
            error = Errors.UNSUPPORTED_VERSION;
        }
        if (error != Errors.NONE) {
            return done(OffsetCommitRequest.getErrorResponse(request, error));
        }
        return offsets.commitAsync(request, null, context.clientId(), databaseExecutor);
    }

    /** The member check of an OffsetFetch (v9+ carries member id and epoch) for a consumer group. */
    Errors checkFetch(String groupId, String memberId, int memberEpoch) {
        ConsumerGroup group = group(groupId);
        return group == null ? Errors.NONE : consumers.validateOffsetRequest(group, memberId, memberEpoch, false);
    }

    /** The topic names the group's members subscribe to (by name or regex); none when it is empty. */
    Set<String> subscribedTopics(ConsumerGroup group) {
        return consumers.subscribedTopicNames(group);
    }

    /** DeleteGroups of a consumer group: only when empty; its offsets, pending ones too, go with it. */
    CompletableFuture<Errors> delete(ConsumerGroup group) {
        Errors error = consumers.delete(group);
        if (error != Errors.NONE) {
            return done(error);
        }
        return CompletableFuture.supplyAsync(
                () -> {
                    pending.deleteGroupOffsets(group.groupId());
                    return Errors.NONE;
                },
                databaseExecutor);
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
