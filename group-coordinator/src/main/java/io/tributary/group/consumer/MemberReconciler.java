package io.tributary.group.consumer;

import io.tributary.group.consumer.assignor.IdPartition;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Moves one member a step towards its target assignment (what Kafka's
 * {@code CurrentAssignmentBuilder} does), as a pure function. The rule that keeps a partition from
 * ever having two owners: a member gives up partitions first and is given new ones only once no
 * other member owns them.
 *
 * <ol>
 *   <li>If the target takes partitions away, the member keeps the rest, must revoke those
 *       ({@link MemberState#UNREVOKED_PARTITIONS}) and stays at its epoch until a heartbeat
 *       lists owned partitions without them.
 *   <li>Otherwise it moves to the target epoch and gets the target partitions that are free;
 *       those another member still owns wait ({@link MemberState#UNRELEASED_PARTITIONS}) and
 *       are handed over in a later heartbeat once released.
 * </ol>
 */
public final class MemberReconciler {

    private MemberReconciler() {}

    /**
     * The member after this heartbeat.
     *
     * @param member       the member as it was
     * @param targetEpoch  the group's target assignment epoch
     * @param target       the member's partitions in the target assignment
     * @param owned        the partitions the heartbeat says the member owns; null if it did not say
     * @param ownedByOther whether another member still owns a partition
     */
    public static ConsumerGroupMember reconcile(
            ConsumerGroupMember member,
            int targetEpoch,
            Set<IdPartition> target,
            Set<IdPartition> owned,
            Predicate<IdPartition> ownedByOther) {
        return switch (member.state()) {
            case STABLE ->
                member.memberEpoch() == targetEpoch && member.assigned().equals(target)
                        ? member
                        : next(member, targetEpoch, target, owned, ownedByOther);
            case UNREVOKED_PARTITIONS ->
                revoked(member, owned) ? next(member, targetEpoch, target, owned, ownedByOther) : member;
            case UNRELEASED_PARTITIONS -> next(member, targetEpoch, target, owned, ownedByOther);
        };
    }

    /** Whether the heartbeat shows none of the partitions the member had to give up. */
    private static boolean revoked(ConsumerGroupMember member, Set<IdPartition> owned) {
        return owned != null && member.pendingRevocation().stream().noneMatch(owned::contains);
    }

    private static ConsumerGroupMember next(
            ConsumerGroupMember member,
            int targetEpoch,
            Set<IdPartition> target,
            Set<IdPartition> owned,
            Predicate<IdPartition> ownedByOther) {
        Set<IdPartition> current = member.assigned();
        Set<IdPartition> keep = new HashSet<>(current);
        keep.retainAll(target);
        Set<IdPartition> revoke = new HashSet<>(current);
        revoke.removeAll(target);
        // a member that says it owns none of them (a lost response) need not be asked to revoke
        boolean mustRevoke =
                !revoke.isEmpty() && (owned == null || revoke.stream().anyMatch(owned::contains));
        if (mustRevoke) {
            return member.withAssignment(MemberState.UNREVOKED_PARTITIONS, member.memberEpoch(), keep, revoke);
        }
        Set<IdPartition> assigned = new HashSet<>(keep);
        boolean waiting = false;
        for (IdPartition partition : target) {
            if (!current.contains(partition)) {
                if (ownedByOther.test(partition)) {
                    waiting = true;
                } else {
                    assigned.add(partition);
                }
            }
        }
        MemberState state = waiting ? MemberState.UNRELEASED_PARTITIONS : MemberState.STABLE;
        return member.withAssignment(state, targetEpoch, assigned, Set.of());
    }
}
