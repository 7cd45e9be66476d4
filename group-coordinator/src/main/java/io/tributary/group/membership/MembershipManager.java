package io.tributary.group.membership;

import io.tributary.common.zk.GroupPartitionOwner;
import io.tributary.group.config.GroupCoordinatorProperties;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupResponseData.MemberResponse;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic group protocol: JoinGroup, SyncGroup, Heartbeat and LeaveGroup, the state machine
 * of {@link GroupState} and its timers (session timeout, rebalance timeout, the initial
 * rebalance delay, the deadline for the SyncGroup after a join).
 *
 * <p>Knows nothing of the network: takes request data, answers futures of response data.
 * JoinGroup and SyncGroup answers are long-held: the future completes when the rebalance gets
 * there, on whichever thread moves it (a later request's or the timer's). Thread-safety: each
 * group's state is guarded by the group's lock; futures are completed after the lock is let go.
 * The request version matters where the protocol changed (MEMBER_ID_REQUIRED from JoinGroup v4,
 * fields that exist only from some version on).
 *
 * <p>The parts: this class is the entry point and handles SyncGroup, Heartbeat, LeaveGroup and
 * what the other managers ask of a group (offset-commit checks, deletion, eviction, views);
 * {@link GroupJoiner} sorts out a JoinGroup; {@link RebalanceDriver} moves members in and out
 * and the group through a rebalance, with its timers; {@link ErrorResponses} builds the error
 * answers; {@link ClassicGroup} holds the state and its lock.
 */
public final class MembershipManager {

    private static final Logger log = LoggerFactory.getLogger(MembershipManager.class);

    /** Kafka's {@code JoinGroupRequest.UNKNOWN_MEMBER_ID}. */
    public static final String UNKNOWN_MEMBER_ID = "";

    private final GroupTimer timer;
    private final GroupRegistry registry;
    private final RebalanceDriver rebalance;
    private final GroupJoiner joiner;

    private final ClassicGroupStore members;

    /** A manager whose groups' members live in this process only (a coordinator alone, tests). */
    public MembershipManager(
            GroupCoordinatorProperties config, GroupTimer timer, GroupRegistry registry, GroupMetadataStore store) {
        this(config, timer, registry, store, ClassicGroupStore.NONE);
    }

    public MembershipManager(
            GroupCoordinatorProperties config,
            GroupTimer timer,
            GroupRegistry registry,
            GroupMetadataStore store,
            ClassicGroupStore members) {
        this.timer = timer;
        this.registry = registry;
        this.members = members;
        this.rebalance = new RebalanceDriver(config, timer, store, members);
        this.joiner = new GroupJoiner(config, registry, rebalance);
    }

    // ---------------------------------------------------------------- JoinGroup

    /** Handles a JoinGroup of {@code version}; the answer may come much later (long-held). */
    public CompletableFuture<JoinGroupResponseData> joinGroup(
            JoinGroupRequestData request, short version, String clientId, String clientHost) {
        return joiner.joinGroup(request, version, clientId, clientHost);
    }

    // ---------------------------------------------------------------- SyncGroup

    /** Handles a SyncGroup; a follower's answer waits for the leader's assignment. */
    public CompletableFuture<SyncGroupResponseData> syncGroup(SyncGroupRequestData request, short version) {
        if (!GroupIds.isValid(request.groupId())) {
            return CompletableFuture.completedFuture(ErrorResponses.syncError(Errors.INVALID_GROUP_ID));
        }
        return registry.lookup(request.groupId()).thenCompose(group -> {
            if (group == null) {
                return CompletableFuture.completedFuture(ErrorResponses.syncError(Errors.UNKNOWN_MEMBER_ID));
            }
            CompletableFuture<SyncGroupResponseData> future = new CompletableFuture<>();
            group.locked(() -> {
                doSync(group, request, version, future);
                return null;
            });
            return future;
        });
    }

    private void doSync(
            ClassicGroup group,
            SyncGroupRequestData request,
            short version,
            CompletableFuture<SyncGroupResponseData> future) {
        if (group.isInState(GroupState.DEAD)) {
            future.complete(ErrorResponses.syncError(Errors.COORDINATOR_NOT_AVAILABLE));
            return;
        }
        Errors memberError = group.validateMember(request.memberId(), request.groupInstanceId());
        if (memberError != Errors.NONE) {
            future.complete(ErrorResponses.syncError(memberError));
            return;
        }
        if (request.generationId() != group.generationId()) {
            future.complete(ErrorResponses.syncError(Errors.ILLEGAL_GENERATION));
            return;
        }
        if ((request.protocolType() != null && !request.protocolType().equals(group.protocolType()))
                || (request.protocolName() != null && !request.protocolName().equals(group.protocolName()))) {
            future.complete(ErrorResponses.syncError(Errors.INCONSISTENT_GROUP_PROTOCOL));
            return;
        }
        ClassicGroupMember member = group.member(request.memberId());
        switch (group.state()) {
            case EMPTY -> future.complete(ErrorResponses.syncError(Errors.UNKNOWN_MEMBER_ID));
            case PREPARING_REBALANCE -> future.complete(ErrorResponses.syncError(Errors.REBALANCE_IN_PROGRESS));
            case COMPLETING_REBALANCE -> {
                if (member.isAwaitingSync()) {
                    // a retried SyncGroup replaces the earlier one
                    CompletableFuture<SyncGroupResponseData> previous = member.awaitingSync();
                    group.defer(() -> previous.complete(ErrorResponses.syncError(Errors.REBALANCE_IN_PROGRESS)));
                }
                member.setAwaitingSync(future);
                member.setSyncVersion(version);
                group.pendingSyncMembers().remove(member.memberId());
                rebalance.touchSession(group, member);
                if (group.isLeader(member.memberId())) {
                    Map<String, byte[]> assignments = new HashMap<>();
                    for (SyncGroupRequestAssignment a : request.assignments()) {
                        assignments.put(a.memberId(), a.assignment());
                    }
                    rebalance.completeRebalance(group, assignments);
                }
            }
            case STABLE -> {
                group.pendingSyncMembers().remove(member.memberId());
                rebalance.touchSession(group, member);
                future.complete(rebalance.syncResponse(group, member, version));
            }
            default -> future.complete(ErrorResponses.syncError(Errors.COORDINATOR_NOT_AVAILABLE));
        }
    }

    // ---------------------------------------------------------------- Heartbeat

    /** Handles a Heartbeat: pushes the member's session deadline back, tells it of rebalances. */
    public CompletableFuture<HeartbeatResponseData> heartbeat(HeartbeatRequestData request) {
        if (!GroupIds.isValid(request.groupId())) {
            return CompletableFuture.completedFuture(ErrorResponses.heartbeatError(Errors.INVALID_GROUP_ID));
        }
        return registry.lookup(request.groupId()).thenApply(group -> {
            if (group == null) {
                return ErrorResponses.heartbeatError(Errors.UNKNOWN_MEMBER_ID);
            }
            return group.locked(() -> ErrorResponses.heartbeatError(doHeartbeat(group, request)));
        });
    }

    private Errors doHeartbeat(ClassicGroup group, HeartbeatRequestData request) {
        if (group.isInState(GroupState.DEAD)) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (group.isInState(GroupState.EMPTY)) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        Errors memberError = group.validateMember(request.memberId(), request.groupInstanceId());
        if (memberError != Errors.NONE) {
            return memberError;
        }
        if (request.generationId() != group.generationId()) {
            return Errors.ILLEGAL_GENERATION;
        }
        rebalance.touchSession(group, group.member(request.memberId()));
        return group.isInState(GroupState.PREPARING_REBALANCE) ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
    }

    // ---------------------------------------------------------------- LeaveGroup

    /**
     * Handles a LeaveGroup: v0-2 name one member by id; v3+ a batch of members by member id
     * and/or instance id (the admin client removes static members by instance id alone).
     */
    public CompletableFuture<LeaveGroupResponseData> leaveGroup(LeaveGroupRequestData request, short version) {
        List<MemberIdentity> identities =
                version >= 3 ? request.members() : List.of(new MemberIdentity().setMemberId(request.memberId()));
        if (!GroupIds.isValid(request.groupId())) {
            return CompletableFuture.completedFuture(
                    new LeaveGroupResponseData().setErrorCode(Errors.INVALID_GROUP_ID.code()));
        }
        return registry.lookup(request.groupId()).thenApply(group -> {
            if (group == null) {
                return new LeaveGroupResponseData().setErrorCode(Errors.UNKNOWN_MEMBER_ID.code());
            }
            return group.locked(() -> {
                if (group.isInState(GroupState.DEAD)) {
                    return new LeaveGroupResponseData().setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
                }
                List<MemberResponse> results = new ArrayList<>();
                for (MemberIdentity identity : identities) {
                    Errors error = leaveOne(group, identity);
                    results.add(new MemberResponse()
                            .setMemberId(identity.memberId())
                            .setGroupInstanceId(identity.groupInstanceId())
                            .setErrorCode(error.code()));
                }
                if (version >= 3) {
                    return new LeaveGroupResponseData().setMembers(results);
                }
                return new LeaveGroupResponseData().setErrorCode(results.get(0).errorCode());
            });
        });
    }

    private Errors leaveOne(ClassicGroup group, MemberIdentity identity) {
        String memberId = identity.memberId() == null ? UNKNOWN_MEMBER_ID : identity.memberId();
        String instanceId = identity.groupInstanceId();
        if (instanceId != null) {
            String current = group.staticMemberId(instanceId);
            if (current == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            if (!memberId.equals(UNKNOWN_MEMBER_ID) && !memberId.equals(current)) {
                return Errors.FENCED_INSTANCE_ID;
            }
            rebalance.removeMemberAndUpdateGroup(group, group.member(current), "static member left");
            return Errors.NONE;
        }
        if (group.removePending(memberId)) {
            rebalance.cancelPendingMemberExpiry(group, memberId);
            rebalance.maybeCompleteJoin(group);
            return Errors.NONE;
        }
        if (!group.hasMember(memberId)) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        rebalance.removeMemberAndUpdateGroup(group, group.member(memberId), "member left");
        return Errors.NONE;
    }

    // ---------------------------------------------------------------- for the other managers

    /**
     * Checks an OffsetCommit's member fields against the group, Kafka's order: a Dead group
     * answers COORDINATOR_NOT_AVAILABLE; generation &lt; 0 on an Empty group is an admin or
     * simple-consumer commit and passes; otherwise the member must be current
     * (UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID), of this generation (ILLEGAL_GENERATION), and the
     * group must not be waiting for the assignment (REBALANCE_IN_PROGRESS). A commit during
     * PreparingRebalance passes, so that eager consumers can commit before they rejoin.
     * Refreshes the committing member's session.
     *
     * @return the error, and the group as stored when it is Empty (so that the commit can
     *         create its row if it has none yet)
     */
    public CommitCheck validateOffsetCommit(
            ClassicGroup group, String memberId, String groupInstanceId, int generationId) {
        return group.locked(() -> {
            Errors error =
                    checkCommit(group, memberId == null ? UNKNOWN_MEMBER_ID : memberId, groupInstanceId, generationId);
            return new CommitCheck(error, group.isInState(GroupState.EMPTY) ? StoredGroup.of(group) : null);
        });
    }

    /** The outcome of {@link #validateOffsetCommit}. */
    public record CommitCheck(Errors error, StoredGroup emptyGroup) {}

    private Errors checkCommit(ClassicGroup group, String member, String groupInstanceId, int generationId) {
        if (group.isInState(GroupState.DEAD)) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (generationId < 0 && group.isInState(GroupState.EMPTY)) {
            return Errors.NONE;
        }
        if (generationId >= 0 || !member.isEmpty() || groupInstanceId != null) {
            Errors memberError = group.validateMember(member, groupInstanceId);
            if (memberError != Errors.NONE) {
                return memberError;
            }
            if (generationId != group.generationId()) {
                return Errors.ILLEGAL_GENERATION;
            }
        } else if (!group.isInState(GroupState.EMPTY)) {
            // a commit without membership into a group that has members
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (group.isInState(GroupState.COMPLETING_REBALANCE)) {
            return Errors.REBALANCE_IN_PROGRESS;
        }
        ClassicGroupMember committer = group.member(member);
        if (committer != null) {
            rebalance.touchSession(group, committer);
        }
        return Errors.NONE;
    }

    /**
     * Marks an Empty group Dead and forgets it (DeleteGroups, or all its offsets expired);
     * NON_EMPTY_GROUP if it has members, GROUP_ID_NOT_FOUND if it is already Dead.
     */
    public Errors deleteGroup(ClassicGroup group) {
        return group.locked(() -> {
            if (group.isInState(GroupState.DEAD)) {
                return Errors.GROUP_ID_NOT_FOUND;
            }
            if (!group.isInState(GroupState.EMPTY)) {
                return Errors.NON_EMPTY_GROUP;
            }
            group.markDead(timer.nowMs());
            registry.remove(group);
            members.delete(group.groupId());
            log.info("Group {} deleted at generation {}", group.groupId(), group.generationId());
            return Errors.NONE;
        });
    }

    /**
     * Forgets a group that has been Empty (and expecting nobody) for at least {@code idleMs}:
     * its row stays in the database, and the next request for it loads it again. This bounds
     * memory and drops a stale copy of a group that another instance has taken over. A request
     * that found the group just before answers COORDINATOR_NOT_AVAILABLE (it is Dead now) and
     * the client retries, finding the reloaded group.
     *
     * @return whether the group was forgotten
     */
    public boolean evictIfIdle(ClassicGroup group, long idleMs) {
        return group.locked(() -> {
            if (!group.isInState(GroupState.EMPTY)
                    || group.pendingCount() > 0
                    || timer.nowMs() - group.stateTimestampMs() < idleMs) {
                return false;
            }
            group.markDead(timer.nowMs());
            registry.remove(group);
            log.debug("Group {} idle since {}, unloaded", group.groupId(), group.stateTimestampMs());
            return true;
        });
    }

    /**
     * Unloads the in-memory groups of group partition {@code partition}, which this instance no
     * longer serves: held requests answer NOT_COORDINATOR and the members rejoin at the new owner,
     * which loads the group from the shared store.
     *
     * @return how many groups were unloaded
     */
    public int unloadPartition(int partition) {
        int unloaded = 0;
        for (ClassicGroup group : List.copyOf(registry.inMemory())) {
            if (GroupPartitionOwner.partitionOf(group.groupId()) == partition) {
                group.locked(() -> {
                    rebalance.unload(group);
                    registry.remove(group);
                    return null;
                });
                unloaded++;
            }
        }
        if (unloaded > 0) {
            log.info("Unloaded {} groups of partition {}: another coordinator serves them now", unloaded, partition);
        }
        return unloaded;
    }

    /**
     * Takes over the stored Stable generations of the group partitions this instance has just
     * claimed: the members keep their generation and assignments, and their sessions start now,
     * so live members heartbeat on and dead ones expire. Blocks on the store: call it before
     * serving the partitions, never on a request thread.
     *
     * @return how many groups were loaded
     */
    public int loadPartitions(Collection<Integer> partitions) {
        List<String> loaded = new ArrayList<>();
        for (ClassicGroupSnapshot stored : members.loadPartitions(partitions)) {
            ClassicGroup group = registry.restore(stored);
            if (group != null) {
                group.locked(() -> {
                    rebalance.startSessions(group);
                    return null;
                });
                loaded.add(group.groupId());
            }
        }
        if (!loaded.isEmpty()) {
            log.info(
                    "Loaded {} classic groups of {} group partitions from the store: {}",
                    loaded.size(),
                    partitions.size(),
                    loaded.stream().sorted().toList());
        }
        return loaded.size();
    }

    /** A consistent copy of what the other managers may read of a group. */
    public GroupView view(ClassicGroup group) {
        return group.locked(() -> new GroupView(
                group.groupId(),
                group.state(),
                group.protocolType(),
                group.protocolName(),
                group.generationId(),
                group.leaderId(),
                group.stateTimestampMs(),
                group.members().stream()
                        .map(m -> new GroupView.MemberView(
                                m.memberId(),
                                m.groupInstanceId(),
                                m.clientId(),
                                m.clientHost(),
                                m.metadata(group.protocolName()),
                                m.assignment()))
                        .toList()));
    }
}
