package io.tributary.group.membership;

import io.tributary.group.config.GroupCoordinatorProperties;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData.JoinGroupResponseMember;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rebalance half of the classic protocol: adding, updating, replacing and removing members,
 * moving a group through PreparingRebalance and CompletingRebalance to Stable, and the timers
 * that bound each phase:
 * <ul>
 *   <li>session: a member that neither heartbeats nor waits in a rebalance for
 *       {@code session.timeout.ms} is removed;</li>
 *   <li>join: PreparingRebalance ends when every member rejoined, or after the largest
 *       {@code rebalance.timeout.ms} (the consumer's {@code max.poll.interval.ms}), dropping
 *       members that did not rejoin; the first rebalance of an Empty group instead waits
 *       {@code group.initial.rebalance.delay.ms}, again for each new member, up to that timeout;</li>
 *   <li>sync: members that send no SyncGroup within the rebalance timeout are removed;</li>
 *   <li>pending: an id handed out with MEMBER_ID_REQUIRED expires after the session timeout.</li>
 * </ul>
 * Every method is called with the group's lock held; timer tasks take it themselves and check
 * that what they were set for still holds (same member, same rebalance, deadline passed).
 */
final class RebalanceDriver {

    private static final Logger log = LoggerFactory.getLogger(RebalanceDriver.class);

    private final GroupCoordinatorProperties config;
    private final GroupTimer timer;
    private final GroupMetadataStore store;
    private final ClassicGroupStore members;

    RebalanceDriver(
            GroupCoordinatorProperties config, GroupTimer timer, GroupMetadataStore store, ClassicGroupStore members) {
        this.config = config;
        this.timer = timer;
        this.store = store;
        this.members = members;
    }

    // ---------------------------------------------------------------- members in and out

    void addMemberAndRebalance(
            ClassicGroup group,
            String memberId,
            JoinGroupRequestData request,
            short version,
            String clientId,
            String clientHost,
            CompletableFuture<JoinGroupResponseData> future) {
        ClassicGroupMember member = new ClassicGroupMember(
                memberId,
                request.groupInstanceId(),
                clientId,
                clientHost,
                request.protocolType(),
                request.rebalanceTimeoutMs(),
                request.sessionTimeoutMs(),
                request.protocols());
        member.setAwaitingJoin(future);
        member.setJoinVersion(version);
        group.add(member);
        if (group.removePending(memberId)) {
            cancelPendingMemberExpiry(group, memberId);
        }
        if (group.initialJoinDelay()) {
            group.setNewMemberAdded(true);
        }
        touchSession(group, member);
        log.info(
                "Group {}: member {} (client {}, instance {}) joins at generation {}",
                group.groupId(),
                memberId,
                clientId,
                request.groupInstanceId(),
                group.generationId());
        maybePrepareRebalance(group, "member " + memberId + " joined");
        maybeCompleteJoin(group);
    }

    void updateMemberAndRebalance(
            ClassicGroup group,
            ClassicGroupMember member,
            JoinGroupRequestData request,
            short version,
            CompletableFuture<JoinGroupResponseData> future) {
        if (member.isAwaitingJoin() && member.awaitingJoin() != future) {
            // a retried JoinGroup replaces the earlier one, whose connection is gone
            CompletableFuture<JoinGroupResponseData> previous = member.awaitingJoin();
            group.defer(
                    () -> previous.complete(ErrorResponses.joinError(member.memberId(), Errors.REBALANCE_IN_PROGRESS)));
        }
        group.updateProtocols(member, request);
        group.setAwaitingJoin(member, future);
        member.setJoinVersion(version);
        touchSession(group, member);
        maybePrepareRebalance(group, "member " + member.memberId() + " rejoined");
        maybeCompleteJoin(group);
    }

    /**
     * A static member came back with an unknown member id: it takes the place of its old member
     * id, which is fenced. In a Stable group with unchanged protocols there is no rebalance: it
     * keeps its assignment, and a returning leader is told to skip the assignment (v9+).
     */
    void replaceStaticMember(
            ClassicGroup group,
            String oldMemberId,
            String newMemberId,
            JoinGroupRequestData request,
            short version,
            String clientId,
            String clientHost,
            CompletableFuture<JoinGroupResponseData> future) {
        ClassicGroupMember old = group.member(oldMemberId);
        if (old.isAwaitingJoin()) {
            CompletableFuture<JoinGroupResponseData> fenced = old.awaitingJoin();
            group.setAwaitingJoin(old, null);
            group.defer(() -> fenced.complete(ErrorResponses.joinError(oldMemberId, Errors.FENCED_INSTANCE_ID)));
        }
        if (old.isAwaitingSync()) {
            CompletableFuture<SyncGroupResponseData> fenced = old.awaitingSync();
            old.setAwaitingSync(null);
            group.defer(() -> fenced.complete(ErrorResponses.syncError(Errors.FENCED_INSTANCE_ID)));
        }
        timer.cancel(sessionKey(group, oldMemberId));
        ClassicGroupMember replacement = old.withMemberId(newMemberId, clientId, clientHost);
        group.replaceStatic(oldMemberId, replacement);
        log.info(
                "Group {}: static member {} replaced member id {} with {}",
                group.groupId(),
                request.groupInstanceId(),
                oldMemberId,
                newMemberId);
        if (group.isInState(GroupState.STABLE) && replacement.sameProtocols(request.protocols())) {
            group.updateProtocols(replacement, request);
            members.save(group.snapshot()); // the new member id, as a coordinator taking over must know it
            touchSession(group, replacement);
            boolean leader = group.isLeader(newMemberId);
            future.complete(joinResponse(group, replacement, version, leader && version >= 9));
        } else {
            updateMemberAndRebalance(group, replacement, request, version, future);
        }
    }

    /** Removes a member (left, expired, fenced out) and moves the group on. */
    void removeMemberAndUpdateGroup(ClassicGroup group, ClassicGroupMember member, String reason) {
        String memberId = member.memberId();
        answerHeldRequests(group, member, Errors.UNKNOWN_MEMBER_ID);
        timer.cancel(sessionKey(group, memberId));
        group.remove(memberId);
        log.info(
                "Group {}: member {} removed ({}) at generation {}, {} members left",
                group.groupId(),
                memberId,
                reason,
                group.generationId(),
                group.size());
        switch (group.state()) {
            case STABLE, COMPLETING_REBALANCE -> {
                maybePrepareRebalance(group, reason);
                maybeCompleteJoin(group);
            }
            case PREPARING_REBALANCE -> maybeCompleteJoin(group);
            default -> {}
        }
    }

    /**
     * This instance no longer serves the group (its partition moved or the ZooKeeper session is
     * gone): answers every held JoinGroup and SyncGroup with NOT_COORDINATOR, so the members find
     * the new coordinator and rejoin there, stops the group's timers and marks it Dead, without
     * writing anything (the group's row now belongs to the new owner). Call under the group lock.
     */
    void unload(ClassicGroup group) {
        for (ClassicGroupMember member : group.members()) {
            answerHeldRequests(group, member, Errors.NOT_COORDINATOR);
            timer.cancel(sessionKey(group, member.memberId()));
        }
        timer.cancel(joinKey(group));
        timer.cancel(syncKey(group));
        group.markDead(timer.nowMs());
    }

    /** Answers the member's held JoinGroup and SyncGroup, if any, with {@code error} once the lock is released. */
    private static void answerHeldRequests(ClassicGroup group, ClassicGroupMember member, Errors error) {
        String memberId = member.memberId();
        if (member.isAwaitingJoin()) {
            CompletableFuture<JoinGroupResponseData> join = member.awaitingJoin();
            group.setAwaitingJoin(member, null);
            group.defer(() -> join.complete(ErrorResponses.joinError(memberId, error)));
        }
        if (member.isAwaitingSync()) {
            CompletableFuture<SyncGroupResponseData> sync = member.awaitingSync();
            member.setAwaitingSync(null);
            group.defer(() -> sync.complete(ErrorResponses.syncError(error)));
        }
    }

    // ---------------------------------------------------------------- the state machine

    void maybePrepareRebalance(ClassicGroup group, String reason) {
        if (GroupState.PREPARING_REBALANCE.canFollow(group.state())) {
            prepareRebalance(group, reason);
        }
    }

    private void prepareRebalance(ClassicGroup group, String reason) {
        if (group.isInState(GroupState.COMPLETING_REBALANCE)) {
            // followers waiting for an assignment that will never come: tell them to rejoin
            for (ClassicGroupMember member : group.members()) {
                member.setAssignment(null);
                if (member.isAwaitingSync()) {
                    CompletableFuture<SyncGroupResponseData> sync = member.awaitingSync();
                    member.setAwaitingSync(null);
                    group.defer(() -> sync.complete(ErrorResponses.syncError(Errors.REBALANCE_IN_PROGRESS)));
                }
            }
        }
        timer.cancel(syncKey(group));
        boolean initial = group.isInState(GroupState.EMPTY);
        group.transitionTo(GroupState.PREPARING_REBALANCE, timer.nowMs());
        long epoch = group.nextRebalanceEpoch();
        int rebalanceTimeoutMs = group.rebalanceTimeoutMs();
        log.info(
                "Group {}: preparing rebalance of generation {} ({}), timeout {} ms",
                group.groupId(),
                group.generationId(),
                reason,
                rebalanceTimeoutMs);
        if (initial) {
            long delay = config.initialRebalanceDelay().toMillis();
            group.setInitialJoinDelay(true);
            group.setNewMemberAdded(false);
            scheduleInitialJoin(
                    group, epoch, Math.min(delay, rebalanceTimeoutMs), Math.max(rebalanceTimeoutMs - delay, 0));
        } else {
            group.setInitialJoinDelay(false);
            timer.schedule(
                    joinKey(group),
                    rebalanceTimeoutMs,
                    () -> group.locked(() -> {
                        if (group.isInState(GroupState.PREPARING_REBALANCE) && group.rebalanceEpoch() == epoch) {
                            completeJoin(group);
                        }
                        return null;
                    }));
        }
    }

    private void scheduleInitialJoin(ClassicGroup group, long epoch, long delayMs, long remainingMs) {
        timer.schedule(
                joinKey(group),
                delayMs,
                () -> group.locked(() -> {
                    if (!group.isInState(GroupState.PREPARING_REBALANCE) || group.rebalanceEpoch() != epoch) {
                        return null;
                    }
                    if (group.newMemberAdded() && remainingMs > 0) {
                        long initialDelay = config.initialRebalanceDelay().toMillis();
                        group.setNewMemberAdded(false);
                        scheduleInitialJoin(
                                group,
                                epoch,
                                Math.min(initialDelay, remainingMs),
                                Math.max(remainingMs - initialDelay, 0));
                    } else {
                        completeJoin(group);
                    }
                    return null;
                }));
    }

    void maybeCompleteJoin(ClassicGroup group) {
        if (group.isInState(GroupState.PREPARING_REBALANCE)
                && !group.initialJoinDelay()
                && group.hasAllMembersJoined()) {
            completeJoin(group);
        }
    }

    /** Ends the join phase: drops members that did not rejoin, starts the next generation. */
    private void completeJoin(ClassicGroup group) {
        timer.cancel(joinKey(group));
        group.setInitialJoinDelay(false);
        for (ClassicGroupMember missing : group.notYetRejoined()) {
            timer.cancel(sessionKey(group, missing.memberId()));
            group.remove(missing.memberId());
            log.info(
                    "Group {}: member {} removed: it did not rejoin within the rebalance timeout",
                    group.groupId(),
                    missing.memberId());
        }
        group.initNextGeneration(timer.nowMs());
        store.save(StoredGroup.of(group));
        if (group.isInState(GroupState.EMPTY)) {
            members.delete(group.groupId());
            log.info(
                    "Group {}: generation {} has no members, the group is Empty",
                    group.groupId(),
                    group.generationId());
            return;
        }
        log.info(
                "Group {}: generation {} with protocol {} and {} members, leader {}",
                group.groupId(),
                group.generationId(),
                group.protocolName(),
                group.size(),
                group.leaderId());
        for (ClassicGroupMember member : group.members()) {
            JoinGroupResponseData response = joinResponse(group, member, member.joinVersion(), false);
            CompletableFuture<JoinGroupResponseData> join = member.awaitingJoin();
            group.setAwaitingJoin(member, null);
            group.defer(() -> join.complete(response));
            touchSession(group, member);
        }
        int generation = group.generationId();
        timer.schedule(
                syncKey(group),
                group.rebalanceTimeoutMs(),
                () -> group.locked(() -> {
                    onSyncTimeout(group, generation);
                    return null;
                }));
    }

    /** The leader's SyncGroup: hand every member its assignment, the group becomes Stable. */
    void completeRebalance(ClassicGroup group, Map<String, byte[]> assignments) {
        for (ClassicGroupMember member : group.members()) {
            member.setAssignment(assignments.get(member.memberId()));
        }
        group.transitionTo(GroupState.STABLE, timer.nowMs());
        store.save(StoredGroup.of(group));
        members.save(group.snapshot());
        log.info(
                "Group {}: generation {} is Stable with {} members",
                group.groupId(),
                group.generationId(),
                group.size());
        for (ClassicGroupMember member : group.members()) {
            if (member.isAwaitingSync()) {
                CompletableFuture<SyncGroupResponseData> sync = member.awaitingSync();
                SyncGroupResponseData response = syncResponse(group, member, member.syncVersion());
                member.setAwaitingSync(null);
                group.defer(() -> sync.complete(response));
            }
        }
        if (group.pendingSyncMembers().isEmpty()) {
            timer.cancel(syncKey(group));
        }
    }

    private void onSyncTimeout(ClassicGroup group, int generation) {
        if (group.generationId() != generation
                || group.pendingSyncMembers().isEmpty()
                || !(group.isInState(GroupState.COMPLETING_REBALANCE) || group.isInState(GroupState.STABLE))) {
            return;
        }
        List<String> late = List.copyOf(group.pendingSyncMembers());
        for (String memberId : late) {
            ClassicGroupMember member = group.member(memberId);
            if (member != null) {
                removeMemberAndUpdateGroup(group, member, "no SyncGroup within the rebalance timeout");
            }
        }
    }

    // ---------------------------------------------------------------- sessions

    /** Starts the sessions of a group taken over with its members: those alive heartbeat in time. */
    void startSessions(ClassicGroup group) {
        group.members().forEach(member -> touchSession(group, member));
    }

    /** Pushes the member's session deadline back by its session timeout. */
    void touchSession(ClassicGroup group, ClassicGroupMember member) {
        long timeout = member.sessionTimeoutMs();
        member.setSessionDeadlineMs(timer.nowMs() + timeout);
        scheduleSessionCheck(group, member.memberId(), timeout);
    }

    private void scheduleSessionCheck(ClassicGroup group, String memberId, long delayMs) {
        timer.schedule(
                sessionKey(group, memberId),
                delayMs,
                () -> group.locked(() -> {
                    ClassicGroupMember member = group.member(memberId);
                    if (member == null) {
                        return null;
                    }
                    long now = timer.nowMs();
                    if (now < member.sessionDeadlineMs()) {
                        scheduleSessionCheck(group, memberId, member.sessionDeadlineMs() - now);
                    } else if (member.isAwaitingJoin() || member.isAwaitingSync()) {
                        // waiting in a rebalance counts as alive; the rebalance has its own deadline
                        touchSession(group, member);
                    } else {
                        removeMemberAndUpdateGroup(
                                group, member, "session timeout of " + member.sessionTimeoutMs() + " ms");
                    }
                    return null;
                }));
    }

    void schedulePendingMemberExpiry(ClassicGroup group, String memberId, long sessionTimeoutMs) {
        timer.schedule(
                pendingKey(group, memberId),
                sessionTimeoutMs,
                () -> group.locked(() -> {
                    if (group.removePending(memberId)) {
                        log.info("Group {}: pending member {} never joined, forgotten", group.groupId(), memberId);
                        maybeCompleteJoin(group);
                    }
                    return null;
                }));
    }

    void cancelPendingMemberExpiry(ClassicGroup group, String memberId) {
        timer.cancel(pendingKey(group, memberId));
    }

    // ---------------------------------------------------------------- answers

    JoinGroupResponseData joinResponse(
            ClassicGroup group, ClassicGroupMember member, short version, boolean skipAssignment) {
        JoinGroupResponseData response = new JoinGroupResponseData()
                .setGenerationId(group.generationId())
                .setProtocolName(group.protocolName())
                .setLeader(group.leaderId())
                .setMemberId(member.memberId());
        if (version >= 7) {
            response.setProtocolType(group.protocolType());
        }
        boolean leader = group.isLeader(member.memberId());
        // a static leader that rejoins a Stable group (skipAssignment) still gets the members,
        // so it can watch their subscriptions; before v9 a leader without a rebalance gets none
        if (leader && (skipAssignment || !group.isInState(GroupState.STABLE))) {
            response.setMembers(group.members().stream()
                    .map(m -> new JoinGroupResponseMember()
                            .setMemberId(m.memberId())
                            .setGroupInstanceId(version >= 5 ? m.groupInstanceId() : null)
                            .setMetadata(m.metadata(group.protocolName())))
                    .toList());
        }
        if (skipAssignment) {
            response.setSkipAssignment(true);
        }
        return response;
    }

    SyncGroupResponseData syncResponse(ClassicGroup group, ClassicGroupMember member, short version) {
        SyncGroupResponseData response = new SyncGroupResponseData().setAssignment(member.assignment());
        if (version >= 5) {
            response.setProtocolType(group.protocolType()).setProtocolName(group.protocolName());
        }
        return response;
    }

    // ---------------------------------------------------------------- timer keys

    private static String sessionKey(ClassicGroup group, String memberId) {
        return "session/" + group.groupId().length() + "/" + group.groupId() + "/" + memberId;
    }

    private static String pendingKey(ClassicGroup group, String memberId) {
        return "pending/" + group.groupId().length() + "/" + group.groupId() + "/" + memberId;
    }

    private static String joinKey(ClassicGroup group) {
        return "join/" + group.groupId();
    }

    private static String syncKey(ClassicGroup group) {
        return "sync/" + group.groupId();
    }
}
