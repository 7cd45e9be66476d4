package io.tributary.group.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.group.consumer.assignor.IdPartition;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

class MemberReconcilerTest {

    static final Uuid TOPIC = new Uuid(7, 7);

    @Test
    void aStableMemberAtTheTargetEpochStaysAsItIs() {
        ConsumerGroupMember member = member(3, MemberState.STABLE, partitions(0, 1), Set.of());

        assertThat(MemberReconciler.reconcile(member, 3, partitions(0, 1), null, p -> false))
                .isSameAs(member);
    }

    @Test
    void partitionsTakenAwayMustBeRevokedBeforeTheEpochMoves() {
        ConsumerGroupMember member = member(3, MemberState.STABLE, partitions(0, 1, 2), Set.of());

        ConsumerGroupMember next =
                MemberReconciler.reconcile(member, 4, partitions(0, 3), partitions(0, 1, 2), p -> false);

        assertThat(next.state()).isEqualTo(MemberState.UNREVOKED_PARTITIONS);
        assertThat(next.memberEpoch()).isEqualTo(3);
        assertThat(next.assigned()).isEqualTo(partitions(0));
        assertThat(next.pendingRevocation()).isEqualTo(partitions(1, 2));
        assertThat(next.owned()).isEqualTo(partitions(0, 1, 2));
    }

    @Test
    void aMemberStaysUnrevokedUntilAHeartbeatNoLongerListsThePartitions() {
        ConsumerGroupMember unrevoked = member(3, MemberState.UNREVOKED_PARTITIONS, partitions(0), partitions(1, 2));

        assertThat(MemberReconciler.reconcile(unrevoked, 4, partitions(0, 3), partitions(0, 1), p -> false))
                .isSameAs(unrevoked);
        assertThat(MemberReconciler.reconcile(unrevoked, 4, partitions(0, 3), null, p -> false))
                .isSameAs(unrevoked);

        ConsumerGroupMember revoked =
                MemberReconciler.reconcile(unrevoked, 4, partitions(0, 3), partitions(0), p -> false);

        assertThat(revoked.state()).isEqualTo(MemberState.STABLE);
        assertThat(revoked.memberEpoch()).isEqualTo(4);
        assertThat(revoked.previousMemberEpoch()).isEqualTo(3);
        assertThat(revoked.assigned()).isEqualTo(partitions(0, 3));
        assertThat(revoked.pendingRevocation()).isEmpty();
    }

    @Test
    void aPartitionAnotherMemberStillOwnsIsGivenOnlyOnceReleased() {
        ConsumerGroupMember member = member(3, MemberState.STABLE, partitions(0), Set.of());
        IdPartition held = new IdPartition(TOPIC, 1);

        ConsumerGroupMember waiting =
                MemberReconciler.reconcile(member, 4, partitions(0, 1, 2), partitions(0), held::equals);

        assertThat(waiting.state()).isEqualTo(MemberState.UNRELEASED_PARTITIONS);
        assertThat(waiting.memberEpoch()).isEqualTo(4);
        assertThat(waiting.assigned()).isEqualTo(partitions(0, 2));

        ConsumerGroupMember released =
                MemberReconciler.reconcile(waiting, 4, partitions(0, 1, 2), partitions(0, 2), p -> false);

        assertThat(released.state()).isEqualTo(MemberState.STABLE);
        assertThat(released.assigned()).isEqualTo(partitions(0, 1, 2));
    }

    @Test
    void aMemberThatAlreadyGaveUpThePartitionsIsNotAskedToRevokeThem() {
        ConsumerGroupMember member = member(3, MemberState.STABLE, partitions(0, 1), Set.of());

        ConsumerGroupMember next = MemberReconciler.reconcile(member, 4, partitions(0), partitions(0), p -> false);

        assertThat(next.state()).isEqualTo(MemberState.STABLE);
        assertThat(next.memberEpoch()).isEqualTo(4);
        assertThat(next.assigned()).isEqualTo(partitions(0));
    }

    static ConsumerGroupMember member(
            int epoch, MemberState state, Set<IdPartition> assigned, Set<IdPartition> pendingRevocation) {
        return ConsumerGroupMember.joining("m", null, "client", "/127.0.0.1")
                .withAssignment(state, epoch, assigned, pendingRevocation);
    }

    static Set<IdPartition> partitions(int... numbers) {
        Set<IdPartition> set = new TreeSet<>();
        Arrays.stream(numbers).forEach(n -> set.add(new IdPartition(TOPIC, n)));
        return set;
    }
}
