package io.tributary.group.consumer;

import io.tributary.group.consumer.assignor.IdPartition;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The state of one KIP-848 consumer group: its epochs, members, target assignment and who owns
 * each partition. Three epochs drive it (Kafka's): the <b>group epoch</b> goes up whenever what
 * the assignment depends on changes (a member joins or leaves, a subscription changes, a
 * subscribed topic changes); the <b>target assignment epoch</b> is the group epoch the target
 * assignment was computed at; each <b>member epoch</b> reaches the target epoch once that member
 * has reconciled.
 *
 * <p>Invariant: a partition has at most one owner, where a member owns its assigned partitions and
 * those pending revocation ({@link #ownerOf}). Not thread-safe: callers hold the group's monitor
 * ({@code synchronized (group)}), as {@link ConsumerGroupCoordinator} does.
 */
public final class ConsumerGroup {

    /** The group states of the KIP-848 protocol, with the names clients and tools show. */
    public enum State {
        EMPTY("Empty"),
        ASSIGNING("Assigning"),
        RECONCILING("Reconciling"),
        STABLE("Stable"),
        DEAD("Dead");

        private final String wireName;

        State(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    private final String groupId;
    private int groupEpoch;
    private int targetEpoch;
    private String assignorName = "";
    private boolean dead;
    private final Map<String, ConsumerGroupMember> members = new LinkedHashMap<>();
    private final Map<String, Set<IdPartition>> target = new HashMap<>();
    private final Map<IdPartition, String> owners = new HashMap<>();
    private final Map<String, Long> sessionDeadlines = new HashMap<>();
    private Map<String, TopicsImage.Topic> subscribedTopics = Map.of();
    /** Counts the changes the store must see; {@link #storedVersion} is the last one handed to it. */
    private long version;

    private long storedVersion;

    public ConsumerGroup(String groupId) {
        this.groupId = groupId;
    }

    public String groupId() {
        return groupId;
    }

    public int groupEpoch() {
        return groupEpoch;
    }

    public int targetEpoch() {
        return targetEpoch;
    }

    public String assignorName() {
        return assignorName;
    }

    public State state() {
        if (dead) {
            return State.DEAD;
        }
        if (members.isEmpty()) {
            return State.EMPTY;
        }
        if (groupEpoch != targetEpoch) {
            return State.ASSIGNING;
        }
        boolean reconciled = members.values().stream()
                .allMatch(m -> m.memberEpoch() == targetEpoch && m.state() == MemberState.STABLE);
        return reconciled ? State.STABLE : State.RECONCILING;
    }

    public boolean isEmpty() {
        return members.isEmpty();
    }

    public boolean isDead() {
        return dead;
    }

    void markDead() {
        dead = true;
    }

    /** The assignment depends on something that changed: the target must be computed again. */
    void bumpGroupEpoch() {
        groupEpoch++;
        version++;
    }

    public Optional<ConsumerGroupMember> member(String memberId) {
        return Optional.ofNullable(members.get(memberId));
    }

    public Optional<ConsumerGroupMember> memberByInstance(String instanceId) {
        return members.values().stream()
                .filter(m -> instanceId.equals(m.instanceId()))
                .findFirst();
    }

    public Collection<ConsumerGroupMember> members() {
        return members.values();
    }

    /** Adds or replaces a member, keeping the partition owners in step. */
    void put(ConsumerGroupMember member) {
        ConsumerGroupMember previous = members.put(member.memberId(), member);
        if (!member.equals(previous)) {
            version++;
        }
        if (previous != null) {
            previous.owned().forEach(p -> owners.remove(p, previous.memberId()));
        }
        member.owned().forEach(p -> owners.put(p, member.memberId()));
    }

    /** Removes a member: its partitions become free, its target is dropped. */
    Optional<ConsumerGroupMember> remove(String memberId) {
        ConsumerGroupMember removed = members.remove(memberId);
        if (removed != null) {
            version++;
            removed.owned().forEach(p -> owners.remove(p, memberId));
            target.remove(memberId);
            sessionDeadlines.remove(memberId);
        }
        return Optional.ofNullable(removed);
    }

    /** A static member's replacement takes over its target under its new member id. */
    void moveTarget(String fromMemberId, String toMemberId) {
        Set<IdPartition> moved = target.remove(fromMemberId);
        if (moved != null) {
            target.put(toMemberId, moved);
            version++;
        }
    }

    /** The member owning {@code partition} (assigned or pending revocation), if any. */
    public Optional<String> ownerOf(IdPartition partition) {
        return Optional.ofNullable(owners.get(partition));
    }

    public Set<IdPartition> targetOf(String memberId) {
        return target.getOrDefault(memberId, Set.of());
    }

    /** The new target assignment, computed at the current group epoch. */
    void setTarget(Map<String, Set<IdPartition>> assignment, String assignor) {
        target.clear();
        assignment.forEach((memberId, partitions) -> target.put(memberId, Set.copyOf(partitions)));
        targetEpoch = groupEpoch;
        assignorName = assignor;
        version++;
    }

    /** The topics the members subscribe to, as they were when the group epoch last moved. */
    Map<String, TopicsImage.Topic> subscribedTopics() {
        return subscribedTopics;
    }

    void setSubscribedTopics(Map<String, TopicsImage.Topic> topics) {
        subscribedTopics = Map.copyOf(topics);
        version++;
    }

    long sessionDeadline(String memberId) {
        return sessionDeadlines.getOrDefault(memberId, Long.MAX_VALUE);
    }

    void setSessionDeadline(String memberId, long deadlineMs) {
        sessionDeadlines.put(memberId, deadlineMs);
    }

    /** Whether the group changed since the store was last given it; marks it as given. */
    boolean takeUnstored() {
        boolean changed = version != storedVersion;
        storedVersion = version;
        return changed;
    }

    /** The state the store keeps. */
    ConsumerGroupSnapshot snapshot() {
        return new ConsumerGroupSnapshot(
                groupId,
                groupEpoch,
                targetEpoch,
                assignorName,
                List.copyOf(members.values()),
                target,
                List.copyOf(subscribedTopics.values()));
    }

    /** The group as the store kept it; its members' sessions are for the caller to start. */
    static ConsumerGroup restore(ConsumerGroupSnapshot snapshot) {
        ConsumerGroup group = new ConsumerGroup(snapshot.groupId());
        group.groupEpoch = snapshot.groupEpoch();
        group.targetEpoch = snapshot.targetEpoch();
        group.assignorName = snapshot.assignorName();
        snapshot.members().forEach(group::put);
        group.target.putAll(snapshot.target());
        Map<String, TopicsImage.Topic> topics = new HashMap<>();
        snapshot.subscribedTopics().forEach(t -> topics.put(t.name(), t));
        group.subscribedTopics = Map.copyOf(topics);
        group.storedVersion = group.version;
        return group;
    }
}
