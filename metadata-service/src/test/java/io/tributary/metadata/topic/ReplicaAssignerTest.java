package io.tributary.metadata.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.common.zk.BrokerRegistration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.junit.jupiter.api.Test;

class ReplicaAssignerTest {

    private final ReplicaAssigner assigner = new ReplicaAssigner(new Random(42));

    @Test
    void shouldGiveEveryBrokerTheSameNumberOfLeadersAndReplicas() {
        for (int seed = 0; seed < 20; seed++) {
            Map<Integer, List<Integer>> assignment =
                    new ReplicaAssigner(new Random(seed)).assign(brokers(null, null, null), 6, 3, -1, 0);

            assertThat(assignment).hasSize(6);
            assertThat(countLeaders(assignment)).containsExactlyInAnyOrderEntriesOf(Map.of(1, 2, 2, 2, 3, 2));
            assignment.values().forEach(r -> assertThat(r).containsExactlyInAnyOrder(1, 2, 3));
        }
    }

    @Test
    void shouldSpreadFollowersOfOneLeaderOverDifferentBrokers() {
        Map<Integer, List<Integer>> assignment = assigner.assign(brokers(null, null, null, null, null), 10, 2, 0, 0);

        // Kafka's shifted round-robin: broker 1's two partitions have different followers
        Map<Integer, java.util.Set<Integer>> followersByLeader = new HashMap<>();
        assignment
                .values()
                .forEach(r -> followersByLeader
                        .computeIfAbsent(r.get(0), k -> new HashSet<>())
                        .add(r.get(1)));
        followersByLeader.values().forEach(f -> assertThat(f).hasSize(2));
        assertThat(countLeaders(assignment).values()).containsOnly(2);
    }

    @Test
    void shouldPutEachPartitionsReplicasOnDistinctRacksWhenEveryBrokerHasOne() {
        List<BrokerRegistration> brokers = brokers("a", "a", "b", "b", "c", "c");
        Map<Integer, List<Integer>> assignment = assigner.assign(brokers, 12, 3, -1, 0);

        for (List<Integer> replicas : assignment.values()) {
            assertThat(replicas.stream().map(id -> brokers.get(id - 1).rack()).distinct())
                    .hasSize(3);
        }
        assertThat(countLeaders(assignment).values()).containsOnly(2);
    }

    @Test
    void shouldAlternateRacksInTheBrokerList() {
        assertThat(ReplicaAssigner.rackAlternated(Map.of(1, "a", 2, "a", 3, "b", 4, "c", 5, "b")))
                .containsExactly(1, 3, 4, 2, 5);
    }

    @Test
    void shouldNumberAddedPartitionsFromTheFirstNewOne() {
        Map<Integer, List<Integer>> added = assigner.assign(brokers(null, null, null), 2, 2, 0, 4);

        assertThat(added).containsOnlyKeys(4, 5);
    }

    @Test
    void shouldRefuseAReplicationFactorAboveTheBrokerCount() {
        assertThatThrownBy(() -> assigner.assign(brokers(null, null, null), 1, 4, -1, 0))
                .isInstanceOf(InvalidReplicationFactorException.class)
                .hasMessageContaining("larger than available brokers: 3");
    }

    private static List<BrokerRegistration> brokers(String... racks) {
        return IntStream.range(0, racks.length)
                .mapToObj(i -> new BrokerRegistration(i + 1, "localhost", 9093 + i, 8081 + i, racks[i], 0L))
                .toList();
    }

    private static Map<Integer, Integer> countLeaders(Map<Integer, List<Integer>> assignment) {
        Map<Integer, Integer> leaders = new HashMap<>();
        assignment.values().forEach(r -> leaders.merge(r.get(0), 1, Integer::sum));
        return leaders;
    }
}
