package io.tributary.metadata.controller;

import io.tributary.common.zk.PartitionState;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.protocol.Errors;

/**
 * The controller's leader-election rules for one partition, as pure functions of the replica
 * assignment, the live brokers and the current state (Kafka's partition state machine).
 * <ul>
 * <li>A new partition: leader = first live replica in assignment order, ISR = the live
 * replicas, leaderEpoch 0. A partition none of whose replicas is live waits (no state).</li>
 * <li>Dead brokers leave the ISR. A dead leader is replaced by the first replica, in
 * assignment order, that is live and in the ISR; the leaderEpoch goes up by one.</li>
 * <li>No live ISR member: the partition goes offline (leader -1, leaderEpoch + 1) and keeps its
 * last ISR, so that whichever of those replicas returns first leads again without losing
 * acknowledged records. With {@code unclean.leader.election.enable} any live replica leads.</li>
 * <li>A live replica outside the ISR never becomes leader (clean election): the leader broker
 * adds it back to the ISR when it has caught up.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class PartitionLeaderElector {

    private PartitionLeaderElector() {}

    /**
     * The state the partition should have now, or empty when its current state is right.
     *
     * @param current         the current state, empty when the partition has none yet
     * @param replicas        the assignment, preferred leader first
     * @param live            ids of the live brokers
     * @param unclean         the topic's {@code unclean.leader.election.enable}
     * @param controllerEpoch the epoch to stamp on a new state
     */
    public static Optional<PartitionState> decide(
            Optional<PartitionState> current,
            List<Integer> replicas,
            Set<Integer> live,
            boolean unclean,
            int controllerEpoch) {
        if (current.isEmpty()) {
            List<Integer> liveReplicas =
                    replicas.stream().filter(live::contains).toList();
            if (liveReplicas.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new PartitionState(liveReplicas.get(0), 0, liveReplicas, controllerEpoch));
        }
        PartitionState state = current.get();
        List<Integer> liveIsr = state.isr().stream().filter(live::contains).toList();
        if (state.isOnline() && live.contains(state.leader()) && state.isr().contains(state.leader())) {
            if (liveIsr.equals(state.isr())) {
                return Optional.empty();
            }
            // a follower died: it leaves the ISR, the leader stays, so the leader epoch stays
            return Optional.of(new PartitionState(state.leader(), state.leaderEpoch(), liveIsr, controllerEpoch));
        }
        Optional<Integer> clean = replicas.stream()
                .filter(r -> live.contains(r) && state.isr().contains(r))
                .findFirst();
        if (clean.isPresent()) {
            return Optional.of(new PartitionState(clean.get(), state.leaderEpoch() + 1, liveIsr, controllerEpoch));
        }
        if (unclean) {
            Optional<Integer> any = replicas.stream().filter(live::contains).findFirst();
            if (any.isPresent()) {
                return Optional.of(
                        new PartitionState(any.get(), state.leaderEpoch() + 1, List.of(any.get()), controllerEpoch));
            }
        }
        if (!state.isOnline()) {
            return Optional.empty();
        }
        return Optional.of(
                new PartitionState(PartitionState.NO_LEADER, state.leaderEpoch() + 1, state.isr(), controllerEpoch));
    }

    /**
     * Preferred-leader election: the first replica becomes leader if it is live and in the ISR.
     *
     * @return the new state, or the Kafka error that says why there is none
     *         ({@link Errors#ELECTION_NOT_NEEDED}, {@link Errors#PREFERRED_LEADER_NOT_AVAILABLE})
     */
    public static Outcome preferred(
            Optional<PartitionState> current, List<Integer> replicas, Set<Integer> live, int controllerEpoch) {
        if (replicas.isEmpty() || current.isEmpty()) {
            return new Outcome(null, Errors.PREFERRED_LEADER_NOT_AVAILABLE);
        }
        PartitionState state = current.get();
        int preferred = replicas.get(0);
        if (state.leader() == preferred) {
            return new Outcome(null, Errors.ELECTION_NOT_NEEDED);
        }
        if (!live.contains(preferred) || !state.isr().contains(preferred)) {
            return new Outcome(null, Errors.PREFERRED_LEADER_NOT_AVAILABLE);
        }
        List<Integer> liveIsr = state.isr().stream().filter(live::contains).toList();
        return new Outcome(
                new PartitionState(preferred, state.leaderEpoch() + 1, liveIsr, controllerEpoch), Errors.NONE);
    }

    /**
     * Result of a preferred-leader decision.
     *
     * @param next  the state to write, or {@code null}
     * @param error {@link Errors#NONE} when {@code next} is set
     */
    public record Outcome(PartitionState next, Errors error) {}
}
