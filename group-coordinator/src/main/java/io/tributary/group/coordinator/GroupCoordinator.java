package io.tributary.group.coordinator;

import io.tributary.group.consumer.ConsumerGroup;
import io.tributary.group.consumer.ConsumerGroupCoordinator;
import io.tributary.group.membership.ClassicGroup;
import io.tributary.group.membership.GroupIds;
import io.tributary.group.membership.GroupMetadataStore;
import io.tributary.group.membership.GroupRegistry;
import io.tributary.group.membership.GroupState;
import io.tributary.group.membership.MembershipManager;
import io.tributary.group.membership.MembershipManager.CommitCheck;
import io.tributary.group.offset.OffsetManager;
import io.tributary.group.txnoffset.PendingTxnOffsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.TxnOffsetCommitRequest;
import org.apache.kafka.common.requests.WriteTxnMarkersResponse;

/**
 * The group coordinator: one method per group API of the Kafka protocol, each taking the
 * request's context and data and answering a future of the response data, written for the
 * request's version. It knows nothing of the network (the Kafka-protocol server or a test drives
 * it) and never blocks the calling thread: JoinGroup and SyncGroup answers are held until the
 * rebalance gets there, and database work runs on the database executor.
 *
 * <p>Membership (classic protocol, state machine, timers) is the {@link MembershipManager}'s;
 * committed offsets are the {@link OffsetManager}'s; listing and describing is
 * {@link GroupQueries}'s; KIP-848 consumer groups ({@code group.protocol=consumer}) are the
 * {@link ConsumerGroupCoordinator}'s, beside the classic ones ({@link ConsumerProtocolGroups}
 * keeps each group id one or the other). Every future completes normally: failures become Kafka error codes
 * through {@link CoordinatorErrors} (a database failure is {@code COORDINATOR_NOT_AVAILABLE}).
 * Thread-safe.
 */
public final class GroupCoordinator {

    private final MembershipManager membership;
    private final OffsetManager offsets;
    private final GroupRegistry registry;
    private final GroupMetadataStore store;
    private final Executor databaseExecutor;
    private final GroupQueries queries;
    private final OffsetFetcher fetcher;
    private final ConsumerProtocolGroups consumerGroups;
    private final TransactionalOffsets transactional;
    private final PendingTxnOffsets pending;

    /** A coordinator whose transactional offsets are kept in {@code pending}. */
    public GroupCoordinator(
            MembershipManager membership,
            OffsetManager offsets,
            GroupRegistry registry,
            GroupMetadataStore store,
            Executor databaseExecutor,
            ConsumerGroupCoordinator consumers,
            PendingTxnOffsets pending) {
        this.membership = membership;
        this.offsets = offsets;
        this.registry = registry;
        this.store = store;
        this.databaseExecutor = databaseExecutor;
        this.queries = new GroupQueries(membership, registry, databaseExecutor);
        this.consumerGroups =
                new ConsumerProtocolGroups(consumers, membership, registry, store, offsets, pending, databaseExecutor);
        this.pending = pending;
        this.transactional = new TransactionalOffsets(pending, membership, registry, consumerGroups, databaseExecutor);
        this.fetcher = new OffsetFetcher(
                offsets, registry, databaseExecutor, consumerGroups::checkFetch, transactional::unstable);
    }

    /** ConsumerGroupHeartbeat (KIP-848): join, heartbeat and leave of a consumer group member. */
    public CompletableFuture<ConsumerGroupHeartbeatResponseData> consumerGroupHeartbeat(
            RequestContext context, ConsumerGroupHeartbeatRequestData request) {
        return guard(
                "ConsumerGroupHeartbeat",
                request,
                () -> consumerGroups.heartbeat(context, request),
                error -> new ConsumerGroupHeartbeatResponseData().setErrorCode(error.code()));
    }

    /** ConsumerGroupDescribe (KIP-848): epochs, members, assignments; GROUP_ID_NOT_FOUND for others. */
    public CompletableFuture<ConsumerGroupDescribeResponseData> consumerGroupDescribe(
            RequestContext context, ConsumerGroupDescribeRequestData request) {
        return guard(
                "ConsumerGroupDescribe",
                request,
                () -> done(consumerGroups.describe(request)),
                error -> new ConsumerGroupDescribeResponseData()
                        .setGroups(request.groupIds().stream()
                                .map(id -> new ConsumerGroupDescribeResponseData.DescribedGroup()
                                        .setGroupId(id)
                                        .setErrorCode(error.code()))
                                .toList()));
    }

    /** JoinGroup: long-held until the rebalance completes; MEMBER_ID_REQUIRED first from v4. */
    public CompletableFuture<JoinGroupResponseData> joinGroup(RequestContext context, JoinGroupRequestData request) {
        return guard(
                "JoinGroup",
                request,
                () -> {
                    Errors taken = consumerGroups.checkClassicJoin(request.groupId());
                    if (taken != Errors.NONE) {
                        return done(new JoinGroupResponseData()
                                .setErrorCode(taken.code())
                                .setGenerationId(-1)
                                .setMemberId(request.memberId())
                                .setLeader(""));
                    }
                    return membership.joinGroup(
                            request, context.apiVersion(), context.clientId(), context.clientHost());
                },
                error -> new JoinGroupResponseData()
                        .setErrorCode(error.code())
                        .setGenerationId(-1)
                        .setMemberId(request.memberId())
                        .setLeader(""));
    }

    /** SyncGroup: the leader brings the assignment; followers wait for it. */
    public CompletableFuture<SyncGroupResponseData> syncGroup(RequestContext context, SyncGroupRequestData request) {
        return guard(
                "SyncGroup",
                request,
                () -> membership.syncGroup(request, context.apiVersion()),
                error -> new SyncGroupResponseData().setErrorCode(error.code()).setAssignment(new byte[0]));
    }

    /** Heartbeat: keeps the member's session; REBALANCE_IN_PROGRESS tells it to rejoin. */
    public CompletableFuture<HeartbeatResponseData> heartbeat(RequestContext context, HeartbeatRequestData request) {
        return guard(
                "Heartbeat",
                request,
                () -> membership.heartbeat(request),
                error -> new HeartbeatResponseData().setErrorCode(error.code()));
    }

    /** LeaveGroup: one member (v0-2) or a batch by member or instance id (v3+). */
    public CompletableFuture<LeaveGroupResponseData> leaveGroup(RequestContext context, LeaveGroupRequestData request) {
        return guard(
                "LeaveGroup",
                request,
                () -> membership.leaveGroup(request, context.apiVersion()),
                error -> new LeaveGroupResponseData().setErrorCode(error.code()));
    }

    /**
     * OffsetCommit: membership checks (UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION,
     * REBALANCE_IN_PROGRESS, FENCED_INSTANCE_ID), then one database transaction. A commit with
     * generation -1 into an unknown group creates a simple group; with a generation, an unknown
     * group is GROUP_ID_NOT_FOUND from v9 and ILLEGAL_GENERATION before.
     */
    public CompletableFuture<OffsetCommitResponseData> commitOffsets(
            RequestContext context, OffsetCommitRequestData request) {
        return guard(
                "OffsetCommit",
                request,
                () -> {
                    if (!GroupIds.isValid(request.groupId())) {
                        return done(OffsetCommitRequest.getErrorResponse(request, Errors.INVALID_GROUP_ID));
                    }
                    ConsumerGroup consumerGroup = consumerGroups.group(request.groupId());
                    if (consumerGroup != null) {
                        return consumerGroups.commit(consumerGroup, request, context);
                    }
                    return registry.lookup(request.groupId()).thenCompose(existing -> {
                        ClassicGroup group = existing;
                        if (group == null) {
                            if (request.generationIdOrMemberEpoch() >= 0) {
                                Errors error = context.apiVersion() >= 9
                                        ? Errors.GROUP_ID_NOT_FOUND
                                        : Errors.ILLEGAL_GENERATION;
                                return done(OffsetCommitRequest.getErrorResponse(request, error));
                            }
                            group = registry.getOrCreateSimple(request.groupId());
                        }
                        CommitCheck check = membership.validateOffsetCommit(
                                group,
                                request.memberId(),
                                request.groupInstanceId(),
                                request.generationIdOrMemberEpoch());
                        if (check.error() != Errors.NONE) {
                            return done(OffsetCommitRequest.getErrorResponse(request, check.error()));
                        }
                        return offsets.commitAsync(request, check.emptyGroup(), context.clientId(), databaseExecutor);
                    });
                },
                error -> OffsetCommitRequest.getErrorResponse(request, error));
    }

    /** OffsetFetch: the v8+ batched {@code groups[]} form and the v0-7 single-group form. */
    public CompletableFuture<OffsetFetchResponseData> fetchOffsets(
            RequestContext context, OffsetFetchRequestData request) {
        return guard(
                "OffsetFetch",
                request,
                () -> fetcher.fetch(request, context.apiVersion()),
                error -> OffsetFetcher.errorResponse(request, context.apiVersion(), error));
    }

    /** TxnOffsetCommit: a producer's offsets, pending until its transaction is decided (KIP-98, KIP-447). */
    public CompletableFuture<TxnOffsetCommitResponseData> txnOffsetCommit(
            RequestContext context, TxnOffsetCommitRequestData request) {
        return guard(
                "TxnOffsetCommit",
                request,
                () -> transactional.commit(context, request),
                error -> TxnOffsetCommitRequest.getErrorResponse(request, error));
    }

    /** WriteTxnMarkers from a transaction coordinator: commits or drops a producer's pending offsets. */
    public CompletableFuture<WriteTxnMarkersResponseData> writeTxnMarkers(
            RequestContext context, WriteTxnMarkersRequestData request) {
        return guard("WriteTxnMarkers", request, () -> transactional.writeMarkers(request), error -> {
            Map<Long, Map<TopicPartition, Errors>> errors = new HashMap<>();
            request.markers()
                    .forEach(marker -> marker.topics()
                            .forEach(topic -> topic.partitionIndexes()
                                    .forEach(p -> errors.computeIfAbsent(marker.producerId(), id -> new HashMap<>())
                                            .put(new TopicPartition(topic.name(), p), error))));
            return new WriteTxnMarkersResponse(errors).data();
        });
    }

    /** DescribeGroups: state, protocol and members (with metadata and assignment when Stable). */
    public CompletableFuture<DescribeGroupsResponseData> describeGroups(
            RequestContext context, DescribeGroupsRequestData request) {
        return guard(
                "DescribeGroups",
                request,
                () -> queries.describe(request, context.apiVersion()),
                error -> new DescribeGroupsResponseData()
                        .setGroups(request.groups().stream()
                                .map(id -> new DescribedGroup()
                                        .setGroupId(id)
                                        .setErrorCode(error.code())
                                        .setGroupState(GroupState.DEAD.wireName()))
                                .toList()));
    }

    /** ListGroups: the groups this coordinator knows, in memory and in the database. */
    public CompletableFuture<ListGroupsResponseData> listGroups(RequestContext context, ListGroupsRequestData request) {
        return guard(
                "ListGroups",
                request,
                () -> queries.list(request, context.apiVersion(), consumerGroups.queries()),
                error -> new ListGroupsResponseData().setErrorCode(error.code()));
    }

    /**
     * DeleteGroups: Empty groups only (NON_EMPTY_GROUP otherwise); removes their offsets too, and
     * as Kafka does the offsets of undecided transactions, so a later COMMIT marker brings nothing back.
     */
    public CompletableFuture<DeleteGroupsResponseData> deleteGroups(
            RequestContext context, DeleteGroupsRequestData request) {
        return guard(
                "DeleteGroups",
                request,
                () -> {
                    List<CompletableFuture<DeletableGroupResult>> results = new ArrayList<>();
                    for (String groupId : request.groupsNames()) {
                        results.add(deleteGroup(groupId)
                                .exceptionally(failure -> new DeletableGroupResult()
                                        .setGroupId(groupId)
                                        .setErrorCode(CoordinatorErrors.toError("DeleteGroups", groupId, failure)
                                                .code())));
                    }
                    return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                            .thenApply(v -> {
                                DeleteGroupsResponseData response = new DeleteGroupsResponseData();
                                results.forEach(r -> response.results().add(r.join()));
                                return response;
                            });
                },
                error -> new DeleteGroupsResponseData()
                        .setResults(org.apache.kafka.common.requests.DeleteGroupsRequest.getErrorResultCollection(
                                request.groupsNames(), error)));
    }

    private CompletableFuture<DeletableGroupResult> deleteGroup(String groupId) {
        DeletableGroupResult result = new DeletableGroupResult().setGroupId(groupId);
        if (!GroupIds.isValid(groupId)) {
            return done(result.setErrorCode(Errors.INVALID_GROUP_ID.code()));
        }
        ConsumerGroup consumerGroup = consumerGroups.group(groupId);
        if (consumerGroup != null) {
            return consumerGroups.delete(consumerGroup).thenApply(error -> result.setErrorCode(error.code()));
        }
        return registry.lookup(groupId).thenCompose(group -> {
            if (group == null) {
                return done(result.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()));
            }
            Errors error = membership.deleteGroup(group);
            if (error != Errors.NONE) {
                return done(result.setErrorCode(error.code()));
            }
            return CompletableFuture.allOf(
                            store.delete(groupId),
                            CompletableFuture.runAsync(() -> pending.deleteGroupOffsets(groupId), databaseExecutor))
                    .thenApply(v -> result);
        });
    }

    /**
     * OffsetDelete: allowed for an Empty group, and for a consumer group's topics no member
     * subscribes to (GROUP_SUBSCRIBED_TO_TOPIC per partition otherwise).
     */
    public CompletableFuture<OffsetDeleteResponseData> deleteOffsets(
            RequestContext context, OffsetDeleteRequestData request) {
        return guard(
                "OffsetDelete",
                request,
                () -> {
                    OffsetDeleter deleter = new OffsetDeleter(membership, registry, pending, databaseExecutor);
                    ConsumerGroup consumerGroup =
                            GroupIds.isValid(request.groupId()) ? consumerGroups.group(request.groupId()) : null;
                    return consumerGroup != null
                            ? deleter.deleteUnsubscribed(request, consumerGroups.subscribedTopics(consumerGroup))
                            : deleter.delete(request);
                },
                error -> new OffsetDeleteResponseData().setErrorCode(error.code()));
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    /** Runs the handler; a thrown or failed outcome becomes the API's error answer. */
    private static <T> CompletableFuture<T> guard(
            String api,
            Object request,
            java.util.function.Supplier<CompletableFuture<T>> handler,
            java.util.function.Function<Errors, T> errorResponse) {
        CompletableFuture<T> future;
        try {
            future = handler.get();
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        return future.exceptionally(failure -> errorResponse.apply(CoordinatorErrors.toError(api, request, failure)));
    }
}
