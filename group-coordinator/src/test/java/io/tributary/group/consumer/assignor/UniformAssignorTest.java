package io.tributary.group.consumer.assignor;

import static io.tributary.group.consumer.assignor.AssignorFixtures.ORDERS;
import static io.tributary.group.consumer.assignor.AssignorFixtures.PAYMENTS;
import static io.tributary.group.consumer.assignor.AssignorFixtures.partitions;
import static io.tributary.group.consumer.assignor.AssignorFixtures.spec;
import static io.tributary.group.consumer.assignor.AssignorFixtures.subscribed;
import static io.tributary.group.consumer.assignor.AssignorFixtures.total;
import static io.tributary.group.consumer.assignor.AssignorFixtures.union;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.group.consumer.assignor.AssignmentSpec.MemberSpec;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class UniformAssignorTest {

    final UniformAssignor assignor = new UniformAssignor();

    @Test
    void shouldGiveEveryPartitionToExactlyOneMemberAndBalanceWithinOne() {
        Map<String, Set<IdPartition>> assignment =
                assignor.assign(spec(ORDERS, 7, Map.of("a", Set.of(), "b", Set.of(), "c", Set.of())));

        assertThat(total(assignment)).isEqualTo(7);
        assertThat(union(assignment)).isEqualTo(partitions(ORDERS, 0, 1, 2, 3, 4, 5, 6));
        assertThat(assignment.values()).extracting(Set::size).containsExactlyInAnyOrder(3, 2, 2);
    }

    @Test
    void aJoiningMemberTakesOnlyWhatBalanceNeedsFromTheFullestMembers() {
        Map<String, Set<IdPartition>> before =
                Map.of("a", partitions(ORDERS, 0, 1, 2), "b", partitions(ORDERS, 3, 4, 5));

        Map<String, Set<IdPartition>> after =
                assignor.assign(spec(ORDERS, 6, Map.of("a", before.get("a"), "b", before.get("b"), "c", Set.of())));

        assertThat(after.values()).extracting(Set::size).containsOnly(2);
        assertThat(before.get("a")).containsAll(after.get("a"));
        assertThat(before.get("b")).containsAll(after.get("b"));
        assertThat(union(after)).hasSize(6);
    }

    @Test
    void aLeavingMembersPartitionsAreSpreadAndNothingElseMoves() {
        Map<String, Set<IdPartition>> after =
                assignor.assign(spec(ORDERS, 6, Map.of("a", partitions(ORDERS, 0, 1), "b", partitions(ORDERS, 2, 3))));

        assertThat(after.get("a")).containsAll(partitions(ORDERS, 0, 1)).hasSize(3);
        assertThat(after.get("b")).containsAll(partitions(ORDERS, 2, 3)).hasSize(3);
        assertThat(union(after)).hasSize(6);
    }

    @Test
    void shouldKeepTheSameAssignmentWhenNothingChanged() {
        Map<String, Set<IdPartition>> first =
                assignor.assign(spec(ORDERS, 10, Map.of("a", Set.of(), "b", Set.of(), "c", Set.of())));

        assertThat(assignor.assign(spec(ORDERS, 10, first))).isEqualTo(first);
    }

    @Test
    void shouldGiveATopicOnlyToItsSubscribersAndBalanceTheRest() {
        Map<String, MemberSpec> members = Map.of(
                "a", subscribed(ORDERS),
                "b", subscribed(Set.of(ORDERS, PAYMENTS), Set.of()),
                "c", subscribed(PAYMENTS));

        Map<String, Set<IdPartition>> assignment =
                assignor.assign(new AssignmentSpec(members, Map.of(ORDERS, 4, PAYMENTS, 4)));

        assertThat(assignment.get("a")).allMatch(p -> p.topicId().equals(ORDERS));
        assertThat(assignment.get("c")).allMatch(p -> p.topicId().equals(PAYMENTS));
        assertThat(total(assignment)).isEqualTo(8);
        assertThat(union(assignment)).hasSize(8);
        assertThat(assignment.values()).extracting(Set::size).containsOnly(3, 2);
    }

    @Test
    void shouldDropPartitionsOfTopicsThatShrankOrWereUnsubscribed() {
        Map<String, MemberSpec> members = Map.of(
                "a", subscribed(Set.of(ORDERS), partitions(PAYMENTS, 0, 1)),
                "b", subscribed(Set.of(ORDERS), partitions(ORDERS, 0, 5)));

        Map<String, Set<IdPartition>> assignment =
                assignor.assign(new AssignmentSpec(members, Map.of(ORDERS, 4, PAYMENTS, 2)));

        assertThat(union(assignment)).isEqualTo(partitions(ORDERS, 0, 1, 2, 3));
        assertThat(assignment.get("b")).contains(new IdPartition(ORDERS, 0));
    }

    @Test
    void shouldBalanceManyMembersOverManyPartitions() {
        Map<String, Set<IdPartition>> members = new java.util.HashMap<>();
        IntStream.range(0, 13).forEach(i -> members.put("m" + i, Set.of()));

        Map<String, Set<IdPartition>> assignment = assignor.assign(spec(ORDERS, 100, members));

        assertThat(new HashSet<>(assignment.values().stream().map(Set::size).toList()))
                .containsOnly(7, 8);
        assertThat(union(assignment)).hasSize(100);
    }
}
