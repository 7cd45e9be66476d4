package io.tributary.group.membership;

import io.tributary.group.config.GroupCoordinatorProperties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * JoinGroup of the classic protocol: validates the request, finds or creates the group, and
 * sorts the joiner out: a new dynamic member (the KIP-394 member-id round trip from v4), a new
 * or returning static member, a pending member coming back with its id, or a known member
 * rejoining in whichever state the group is. Adding, updating and replacing members, and the
 * rebalance itself, are the {@link RebalanceDriver}'s.
 *
 * <p>Thread-safety: as {@link MembershipManager}; the answer is completed after the group's
 * lock is let go, possibly much later (a long-held join).
 */
final class GroupJoiner {

    private final GroupCoordinatorProperties config;
    private final GroupRegistry registry;
    private final RebalanceDriver rebalance;

    GroupJoiner(GroupCoordinatorProperties config, GroupRegistry registry, RebalanceDriver rebalance) {
        this.config = config;
        this.registry = registry;
        this.rebalance = rebalance;
    }

    /** Handles a JoinGroup of {@code version}; the answer may come much later (long-held). */
    CompletableFuture<JoinGroupResponseData> joinGroup(
            JoinGroupRequestData request, short version, String clientId, String clientHost) {
        String memberId = request.memberId() == null ? MembershipManager.UNKNOWN_MEMBER_ID : request.memberId();
        if (request.rebalanceTimeoutMs() <= 0) {
            // JoinGroup v0 has no rebalance timeout: the session timeout serves for both
            request.setRebalanceTimeoutMs(request.sessionTimeoutMs());
        }
        Errors invalid = validateJoin(request);
        if (invalid != Errors.NONE) {
            return CompletableFuture.completedFuture(ErrorResponses.joinError(memberId, invalid));
        }
        return registry.lookup(request.groupId()).thenCompose(existing -> {
            if (existing == null && !memberId.equals(MembershipManager.UNKNOWN_MEMBER_ID)) {
                return CompletableFuture.completedFuture(ErrorResponses.joinError(memberId, Errors.UNKNOWN_MEMBER_ID));
            }
            ClassicGroup group = existing != null ? existing : registry.getOrCreate(request.groupId());
            CompletableFuture<JoinGroupResponseData> future = new CompletableFuture<>();
            group.locked(() -> {
                if (group.isInState(GroupState.DEAD)) {
                    // deleted meanwhile: the client looks the coordinator up again and retries
                    future.complete(ErrorResponses.joinError(memberId, Errors.COORDINATOR_NOT_AVAILABLE));
                } else if (memberId.equals(MembershipManager.UNKNOWN_MEMBER_ID)) {
                    joinUnknownMember(group, request, version, clientId, clientHost, future);
                } else {
                    joinKnownMember(group, memberId, request, version, clientId, clientHost, future);
                }
                return null;
            });
            return future;
        });
    }

    private Errors validateJoin(JoinGroupRequestData request) {
        if (!GroupIds.isValid(request.groupId())) {
            return Errors.INVALID_GROUP_ID;
        }
        int session = request.sessionTimeoutMs();
        if (session < config.minSessionTimeout().toMillis()
                || session > config.maxSessionTimeout().toMillis()) {
            return Errors.INVALID_SESSION_TIMEOUT;
        }
        if (request.protocolType() == null
                || request.protocolType().isEmpty()
                || request.protocols() == null
                || request.protocols().isEmpty()) {
            return Errors.INCONSISTENT_GROUP_PROTOCOL;
        }
        return Errors.NONE;
    }

    private void joinUnknownMember(
            ClassicGroup group,
            JoinGroupRequestData request,
            short version,
            String clientId,
            String clientHost,
            CompletableFuture<JoinGroupResponseData> future) {
        String instanceId = request.groupInstanceId();
        if (!group.supportsProtocols(
                request.protocolType(),
                ClassicGroupMember.toMap(request.protocols()).keySet())) {
            future.complete(
                    ErrorResponses.joinError(MembershipManager.UNKNOWN_MEMBER_ID, Errors.INCONSISTENT_GROUP_PROTOCOL));
            return;
        }
        String existingStatic = group.staticMemberId(instanceId);
        if (existingStatic == null && group.size() + group.pendingCount() >= config.maxSize()) {
            future.complete(
                    ErrorResponses.joinError(MembershipManager.UNKNOWN_MEMBER_ID, Errors.GROUP_MAX_SIZE_REACHED));
            return;
        }
        String newMemberId =
                (instanceId != null ? instanceId : clientId == null ? "" : clientId) + "-" + UUID.randomUUID();
        if (instanceId != null) {
            if (existingStatic != null) {
                rebalance.replaceStaticMember(
                        group, existingStatic, newMemberId, request, version, clientId, clientHost, future);
            } else {
                // static members are known by their instance id: no MEMBER_ID_REQUIRED round trip
                rebalance.addMemberAndRebalance(group, newMemberId, request, version, clientId, clientHost, future);
            }
        } else if (version >= 4) {
            // KIP-394: hand out the id first, so a client that loses the answer cannot leave a
            // ghost member behind; the id expires if the client never comes back with it
            group.addPending(newMemberId);
            rebalance.schedulePendingMemberExpiry(group, newMemberId, request.sessionTimeoutMs());
            future.complete(ErrorResponses.joinError(newMemberId, Errors.MEMBER_ID_REQUIRED));
        } else {
            rebalance.addMemberAndRebalance(group, newMemberId, request, version, clientId, clientHost, future);
        }
    }

    private void joinKnownMember(
            ClassicGroup group,
            String memberId,
            JoinGroupRequestData request,
            short version,
            String clientId,
            String clientHost,
            CompletableFuture<JoinGroupResponseData> future) {
        if (group.isPending(memberId)) {
            if (!group.supportsProtocols(
                    request.protocolType(),
                    ClassicGroupMember.toMap(request.protocols()).keySet())) {
                future.complete(ErrorResponses.joinError(memberId, Errors.INCONSISTENT_GROUP_PROTOCOL));
                return;
            }
            rebalance.addMemberAndRebalance(group, memberId, request, version, clientId, clientHost, future);
            return;
        }
        Errors memberError = group.validateMember(memberId, request.groupInstanceId());
        if (memberError != Errors.NONE) {
            future.complete(ErrorResponses.joinError(memberId, memberError));
            return;
        }
        if (!group.supportsProtocols(
                request.protocolType(),
                ClassicGroupMember.toMap(request.protocols()).keySet())) {
            future.complete(ErrorResponses.joinError(memberId, Errors.INCONSISTENT_GROUP_PROTOCOL));
            return;
        }
        ClassicGroupMember member = group.member(memberId);
        switch (group.state()) {
            case PREPARING_REBALANCE -> rebalance.updateMemberAndRebalance(group, member, request, version, future);
            case COMPLETING_REBALANCE -> {
                if (member.sameProtocols(request.protocols())) {
                    // the member lost the join answer: give it again
                    rebalance.touchSession(group, member);
                    future.complete(rebalance.joinResponse(group, member, version, false));
                } else {
                    rebalance.updateMemberAndRebalance(group, member, request, version, future);
                }
            }
            case STABLE -> {
                if (group.isLeader(memberId) || !member.sameProtocols(request.protocols())) {
                    // the leader rejoins when the topics it assigns changed (metadata, not protocol)
                    rebalance.updateMemberAndRebalance(group, member, request, version, future);
                } else {
                    rebalance.touchSession(group, member);
                    future.complete(rebalance.joinResponse(group, member, version, false));
                }
            }
            case EMPTY, DEAD -> future.complete(ErrorResponses.joinError(memberId, Errors.UNKNOWN_MEMBER_ID));
            default -> throw new IllegalStateException("Unknown state " + group.state());
        }
    }
}
