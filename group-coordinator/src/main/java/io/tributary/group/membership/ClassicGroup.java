package io.tributary.group.membership;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * The in-memory state of one classic group: state machine, generation, selected protocol,
 * members (dynamic and static), members told {@code MEMBER_ID_REQUIRED} that have not joined
 * yet, and members whose SyncGroup is still due.
 *
 * <p>Invariants: the leader is a member (or {@code null} when there are none); every static
 * member is in {@link #staticMembers}; {@link #generationId()} only grows. Thread-safety: every
 * method must be called holding {@link #lock()}. Futures are never completed under the lock:
 * completions go through {@link #defer(Runnable)} and run once the lock is released.
 */
public final class ClassicGroup {

    private final String groupId;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Runnable> deferred = new ArrayList<>();

    private GroupState state = GroupState.EMPTY;
    private long stateTimestampMs;
    private int generationId;
    private String protocolType;
    private String protocolName;
    private String leaderId;
    private final Map<String, ClassicGroupMember> members = new LinkedHashMap<>();
    private final Map<String, String> staticMembers = new HashMap<>();
    private final Set<String> pendingMembers = new HashSet<>();
    private final Set<String> pendingSyncMembers = new HashSet<>();
    private final Map<String, Integer> supportedProtocols = new HashMap<>();
    private int awaitingJoinCount;
    /** Bumped on every move to PreparingRebalance, so a stale rebalance timer does nothing. */
    private long rebalanceEpoch;
    /** During the initial delayed join: a member joined since the delay started. */
    private boolean newMemberAdded;

    private boolean initialJoinDelay;

    ClassicGroup(String groupId, long nowMs) {
        this.groupId = groupId;
        this.stateTimestampMs = nowMs;
    }

    /** A group restored from the database: no members, so Empty, at its stored generation. */
    static ClassicGroup restored(String groupId, String protocolType, int generationId, long stateTimestampMs) {
        ClassicGroup group = new ClassicGroup(groupId, stateTimestampMs);
        group.protocolType = protocolType == null || protocolType.isEmpty() ? null : protocolType;
        group.generationId = generationId;
        return group;
    }

    /**
     * A group taken over with its stored Stable generation: its members and their assignments,
     * so that they carry on without a rebalance. Their sessions are for the caller to start.
     */
    static ClassicGroup restored(ClassicGroupSnapshot stored, long nowMs) {
        ClassicGroup group = new ClassicGroup(stored.groupId(), nowMs);
        for (ClassicGroupSnapshot.Member member : stored.members()) {
            group.add(ClassicGroupMember.restored(member, stored.protocolType()));
        }
        group.protocolType = stored.protocolType();
        group.protocolName = stored.protocolName();
        group.generationId = stored.generationId();
        if (group.hasMember(stored.leaderId())) {
            group.leaderId = stored.leaderId();
        }
        group.state = GroupState.STABLE;
        return group;
    }

    /** The Stable generation to store; call in Stable. */
    ClassicGroupSnapshot snapshot() {
        return new ClassicGroupSnapshot(
                groupId,
                protocolType,
                protocolName,
                generationId,
                leaderId,
                members.values().stream().map(ClassicGroupMember::snapshot).toList());
    }

    public ReentrantLock lock() {
        return lock;
    }

    /** Queues a completion to run after the lock is released. */
    void defer(Runnable completion) {
        deferred.add(completion);
    }

    /**
     * Runs {@code body} holding the lock, then, once the outermost hold is let go, the
     * completions it queued with {@link #defer}. Re-entrant: a nested call defers to the outer.
     */
    <T> T locked(Supplier<T> body) {
        List<Runnable> after = List.of();
        lock.lock();
        try {
            return body.get();
        } finally {
            if (lock.getHoldCount() == 1) {
                after = drainDeferred();
            }
            lock.unlock();
            after.forEach(Runnable::run);
        }
    }

    /** Takes the queued completions; the caller runs them after unlocking. */
    List<Runnable> drainDeferred() {
        if (deferred.isEmpty()) {
            return List.of();
        }
        List<Runnable> out = new ArrayList<>(deferred);
        deferred.clear();
        return out;
    }

    public String groupId() {
        return groupId;
    }

    /**
     * Checks that a member id (and, for static members, its instance id) is current:
     * {@code FENCED_INSTANCE_ID} when the instance id now belongs to a newer member id,
     * {@code UNKNOWN_MEMBER_ID} when the member is not in the group.
     */
    Errors validateMember(String memberId, String groupInstanceId) {
        if (groupInstanceId != null) {
            String current = staticMemberId(groupInstanceId);
            if (current == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            if (!current.equals(memberId)) {
                return Errors.FENCED_INSTANCE_ID;
            }
        }
        return hasMember(memberId) ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
    }

    public GroupState state() {
        return state;
    }

    public boolean isInState(GroupState candidate) {
        return state == candidate;
    }

    /** When the group entered its current state (the offset-expiry clock of an Empty group). */
    public long stateTimestampMs() {
        return stateTimestampMs;
    }

    void transitionTo(GroupState next, long nowMs) {
        if (!next.canFollow(state)) {
            throw new IllegalStateException("Group " + groupId + " cannot move from " + state + " to " + next);
        }
        state = next;
        stateTimestampMs = nowMs;
    }

    public int generationId() {
        return generationId;
    }

    /** The protocol type ({@code consumer} for consumers); {@code null} for a simple group. */
    public String protocolType() {
        return protocolType;
    }

    /** The protocol (assignor) selected for the current generation; {@code null} when Empty. */
    public String protocolName() {
        return protocolName;
    }

    public String leaderId() {
        return leaderId;
    }

    boolean isLeader(String memberId) {
        return memberId.equals(leaderId);
    }

    public int size() {
        return members.size();
    }

    public Collection<ClassicGroupMember> members() {
        return Collections.unmodifiableCollection(members.values());
    }

    ClassicGroupMember member(String memberId) {
        return members.get(memberId);
    }

    boolean hasMember(String memberId) {
        return members.containsKey(memberId);
    }

    String staticMemberId(String groupInstanceId) {
        return groupInstanceId == null ? null : staticMembers.get(groupInstanceId);
    }

    boolean isPending(String memberId) {
        return pendingMembers.contains(memberId);
    }

    int pendingCount() {
        return pendingMembers.size();
    }

    void addPending(String memberId) {
        pendingMembers.add(memberId);
    }

    boolean removePending(String memberId) {
        return pendingMembers.remove(memberId);
    }

    void add(ClassicGroupMember member) {
        if (members.isEmpty()) {
            protocolType = member.protocolType();
        }
        members.put(member.memberId(), member);
        if (member.isStatic()) {
            staticMembers.put(member.groupInstanceId(), member.memberId());
        }
        member.protocolNames().forEach(p -> supportedProtocols.merge(p, 1, Integer::sum));
        if (leaderId == null) {
            leaderId = member.memberId();
        }
        if (member.isAwaitingJoin()) {
            awaitingJoinCount++;
        }
    }

    void remove(String memberId) {
        ClassicGroupMember member = members.remove(memberId);
        if (member == null) {
            return;
        }
        member.protocolNames().forEach(p -> supportedProtocols.merge(p, -1, Integer::sum));
        if (member.isStatic()) {
            staticMembers.remove(member.groupInstanceId(), memberId);
        }
        if (member.isAwaitingJoin()) {
            awaitingJoinCount--;
        }
        pendingSyncMembers.remove(memberId);
        if (memberId.equals(leaderId)) {
            leaderId = members.isEmpty() ? null : members.keySet().iterator().next();
        }
    }

    /** Puts {@code replacement} (same instance id, new member id) in place of a static member. */
    void replaceStatic(String oldMemberId, ClassicGroupMember replacement) {
        ClassicGroupMember old = members.remove(oldMemberId);
        if (old.isAwaitingJoin()) {
            awaitingJoinCount--;
        }
        members.put(replacement.memberId(), replacement);
        staticMembers.put(replacement.groupInstanceId(), replacement.memberId());
        if (pendingSyncMembers.remove(oldMemberId)) {
            pendingSyncMembers.add(replacement.memberId());
        }
        if (oldMemberId.equals(leaderId)) {
            leaderId = replacement.memberId();
        }
    }

    void updateProtocols(ClassicGroupMember member, JoinGroupRequestData request) {
        member.protocolNames().forEach(p -> supportedProtocols.merge(p, -1, Integer::sum));
        member.update(request.protocols(), request.rebalanceTimeoutMs(), request.sessionTimeoutMs());
        member.protocolNames().forEach(p -> supportedProtocols.merge(p, 1, Integer::sum));
    }

    void setAwaitingJoin(ClassicGroupMember member, CompletableFuture<JoinGroupResponseData> future) {
        if (future != null && !member.isAwaitingJoin()) {
            awaitingJoinCount++;
        } else if (future == null && member.isAwaitingJoin()) {
            awaitingJoinCount--;
        }
        member.setAwaitingJoin(future);
    }

    /** All members rejoined and nobody told MEMBER_ID_REQUIRED is still expected. */
    boolean hasAllMembersJoined() {
        return awaitingJoinCount == members.size() && pendingMembers.isEmpty();
    }

    List<ClassicGroupMember> notYetRejoined() {
        return members.values().stream().filter(m -> !m.isAwaitingJoin()).collect(Collectors.toList());
    }

    /** The largest rebalance timeout of the members: how long a rebalance may wait for them. */
    int rebalanceTimeoutMs() {
        return members.values().stream()
                .mapToInt(ClassicGroupMember::rebalanceTimeoutMs)
                .max()
                .orElse(0);
    }

    /**
     * Whether a member with this protocol type and protocols may join: an empty group takes any
     * non-empty offer; otherwise the type must match and one protocol must be offered by all.
     */
    boolean supportsProtocols(String memberProtocolType, Set<String> memberProtocols) {
        if (state == GroupState.EMPTY) {
            return memberProtocolType != null && !memberProtocolType.isEmpty() && !memberProtocols.isEmpty();
        }
        return memberProtocolType != null
                && memberProtocolType.equals(protocolType)
                && memberProtocols.stream().anyMatch(p -> supportedProtocols.getOrDefault(p, 0) == members.size());
    }

    /** Picks the protocol offered by every member that most members prefer. */
    String selectProtocol() {
        Set<String> candidates = supportedProtocols.entrySet().stream()
                .filter(e -> e.getValue() == members.size())
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        Map<String, Integer> votes = new LinkedHashMap<>();
        members.values().forEach(m -> votes.merge(m.vote(candidates), 1, Integer::sum));
        return votes.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey)
                .orElseThrow();
    }

    /** Starts the next generation: CompletingRebalance with a selected protocol, or Empty. */
    void initNextGeneration(long nowMs) {
        generationId++;
        pendingSyncMembers.clear();
        if (members.isEmpty()) {
            protocolName = null;
            transitionTo(GroupState.EMPTY, nowMs);
        } else {
            protocolName = selectProtocol();
            pendingSyncMembers.addAll(members.keySet());
            transitionTo(GroupState.COMPLETING_REBALANCE, nowMs);
        }
    }

    Set<String> pendingSyncMembers() {
        return pendingSyncMembers;
    }

    long rebalanceEpoch() {
        return rebalanceEpoch;
    }

    long nextRebalanceEpoch() {
        return ++rebalanceEpoch;
    }

    boolean initialJoinDelay() {
        return initialJoinDelay;
    }

    void setInitialJoinDelay(boolean initialJoinDelay) {
        this.initialJoinDelay = initialJoinDelay;
    }

    boolean newMemberAdded() {
        return newMemberAdded;
    }

    void setNewMemberAdded(boolean newMemberAdded) {
        this.newMemberAdded = newMemberAdded;
    }

    /** The group is deleted: requests that still find it answer as for an unknown group. */
    void markDead(long nowMs) {
        transitionTo(GroupState.DEAD, nowMs);
    }

    @Override
    public String toString() {
        return "ClassicGroup(groupId=" + groupId + ", state=" + state + ", generation=" + generationId + ", members="
                + members.size() + ")";
    }
}
