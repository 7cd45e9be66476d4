package io.tributary.metadata.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.common.zk.PartitionState;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class PartitionLeaderElectorTest {

    private static final List<Integer> REPLICAS = List.of(1, 2, 3);

    @Test
    void shouldInitialiseANewPartitionWithTheFirstLiveReplicaAsLeader() {
        Optional<PartitionState> state =
                PartitionLeaderElector.decide(Optional.empty(), REPLICAS, Set.of(2, 3), false, 7);

        assertThat(state).contains(new PartitionState(2, 0, List.of(2, 3), 7));
    }

    @Test
    void shouldWaitWithANewPartitionWhileNoReplicaIsLive() {
        assertThat(PartitionLeaderElector.decide(Optional.empty(), REPLICAS, Set.of(4), false, 1))
                .isEmpty();
    }

    @Test
    void shouldLeaveAHealthyPartitionAlone() {
        PartitionState healthy = new PartitionState(1, 3, List.of(1, 2, 3), 1);

        assertThat(PartitionLeaderElector.decide(Optional.of(healthy), REPLICAS, Set.of(1, 2, 3), false, 2))
                .isEmpty();
    }

    @Test
    void shouldMoveLeadershipToTheNextIsrMemberWhenTheLeaderDies() {
        PartitionState state = new PartitionState(1, 3, List.of(1, 3), 1);

        Optional<PartitionState> next =
                PartitionLeaderElector.decide(Optional.of(state), REPLICAS, Set.of(2, 3), false, 2);

        // broker 2 is live but out of the ISR: 3 leads
        assertThat(next).contains(new PartitionState(3, 4, List.of(3), 2));
    }

    @Test
    void shouldDropADeadFollowerFromTheIsrWithoutANewLeaderEpoch() {
        PartitionState state = new PartitionState(1, 3, List.of(1, 2, 3), 1);

        Optional<PartitionState> next =
                PartitionLeaderElector.decide(Optional.of(state), REPLICAS, Set.of(1, 3), false, 2);

        assertThat(next).contains(new PartitionState(1, 3, List.of(1, 3), 2));
    }

    @Test
    void shouldGoOfflineKeepingTheLastIsrWhenNoIsrMemberIsLive() {
        PartitionState state = new PartitionState(3, 4, List.of(3), 2);

        Optional<PartitionState> next =
                PartitionLeaderElector.decide(Optional.of(state), REPLICAS, Set.of(1, 2), false, 2);

        assertThat(next).contains(new PartitionState(-1, 5, List.of(3), 2));
        assertThat(PartitionLeaderElector.decide(next, REPLICAS, Set.of(1, 2), false, 2))
                .as("stays offline")
                .isEmpty();
        assertThat(PartitionLeaderElector.decide(next, REPLICAS, Set.of(1, 2, 3), false, 2))
                .contains(new PartitionState(3, 6, List.of(3), 2));
    }

    @Test
    void shouldElectAnyLiveReplicaWhenUncleanElectionIsEnabled() {
        PartitionState offline = new PartitionState(-1, 5, List.of(3), 2);

        assertThat(PartitionLeaderElector.decide(Optional.of(offline), REPLICAS, Set.of(2), true, 3))
                .contains(new PartitionState(2, 6, List.of(2), 3));
    }

    @Test
    void shouldElectThePreferredReplicaOnlyWhenItIsLiveAndInTheIsr() {
        PartitionState ledBy2 = new PartitionState(2, 1, List.of(2, 3), 1);
        PartitionState ledBy2WithIsr1 = new PartitionState(2, 1, List.of(2, 3, 1), 1);

        assertThat(PartitionLeaderElector.preferred(Optional.of(ledBy2), REPLICAS, Set.of(1, 2, 3), 1)
                        .error())
                .isEqualTo(Errors.PREFERRED_LEADER_NOT_AVAILABLE);
        assertThat(PartitionLeaderElector.preferred(Optional.of(ledBy2WithIsr1), REPLICAS, Set.of(1, 2, 3), 1)
                        .next())
                .isEqualTo(new PartitionState(1, 2, List.of(2, 3, 1), 1));
        assertThat(PartitionLeaderElector.preferred(
                                Optional.of(new PartitionState(1, 0, REPLICAS, 1)), REPLICAS, Set.of(1, 2, 3), 1)
                        .error())
                .isEqualTo(Errors.ELECTION_NOT_NEEDED);
    }
}
