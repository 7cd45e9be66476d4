package io.tributary.broker.partition;

import io.tributary.common.zk.PartitionState;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedLeaderEpochException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.UnknownLeaderEpochException;
import org.apache.kafka.common.record.RecordBatch;

/**
 * A replica's role as the controller last decided it: leader, leader epoch, ISR, assigned
 * replicas, the state znode's version, and whether an ISR change this leader proposed is in
 * flight; and the checks a request makes against it.
 *
 * <p>Thread-safety: the role fields are volatile for lock-free readers. They change only in
 * {@link #apply}, under the {@link #leadership} write lock and the partition's monitor; the
 * leader-side fields without volatile ({@code controllerEpoch}, the epoch's start offset, the
 * ISR-change flag) are read and written under the partition's monitor only.
 */
final class ReplicaRole {

    /** What applying a state did to this replica's role. */
    enum Change {
        /** The state was older than the one applied: nothing changed. */
        IGNORED,
        /** Applied; the replica became leader or leads a new epoch. */
        NEW_LEADERSHIP,
        /** Applied; the replica became a follower or follows a new epoch. */
        NEW_FOLLOWERSHIP,
        /** Applied within the same role and epoch (an ISR change, say). */
        SAME_ROLE
    }

    /** As Kafka's {@code leaderIsrUpdateLock}: role changes write, appends and follower fetch updates read. */
    final ReentrantReadWriteLock leadership = new ReentrantReadWriteLock();

    private final TopicPartition topicPartition;
    private final int localBrokerId;

    private volatile int leaderId = PartitionState.NO_LEADER;
    private volatile int leaderEpoch = -1;
    private volatile List<Integer> isr = List.of();
    private volatile List<Integer> replicas = List.of();
    private volatile int minInsyncReplicas = 1;
    private volatile int stateVersion = -1;
    private int controllerEpoch;
    private long leaderEpochStartOffset;
    private boolean isrChangeInFlight;

    ReplicaRole(TopicPartition topicPartition, int localBrokerId) {
        this.topicPartition = topicPartition;
        this.localBrokerId = localBrokerId;
    }

    /**
     * Takes the controller's state unless it is older than the one applied (a lower leader epoch,
     * or a lower znode version in the same epoch). Caller holds the write lock and the monitor.
     */
    Change apply(PartitionState state, int version, List<Integer> assignedReplicas, int minIsr) {
        this.minInsyncReplicas = minIsr;
        this.replicas = List.copyOf(assignedReplicas);
        if (state.leaderEpoch() < leaderEpoch
                || (state.leaderEpoch() == leaderEpoch && version >= 0 && version < stateVersion)) {
            return Change.IGNORED;
        }
        boolean newEpoch = state.leaderEpoch() > leaderEpoch;
        boolean wasLeader = isLeader();
        leaderId = state.leader();
        leaderEpoch = state.leaderEpoch();
        isr = state.isr();
        controllerEpoch = state.controllerEpoch();
        stateVersion = version;
        isrChangeInFlight = false;
        if (isLeader() && (newEpoch || !wasLeader)) {
            return Change.NEW_LEADERSHIP;
        }
        if (!isLeader() && (newEpoch || wasLeader)) {
            return Change.NEW_FOLLOWERSHIP;
        }
        return Change.SAME_ROLE;
    }

    boolean isLeader() {
        return leaderId == localBrokerId;
    }

    /** @throws NotLeaderOrFollowerException when this broker is not the leader */
    void ensureLeader() {
        if (!isLeader()) {
            throw new NotLeaderOrFollowerException("Broker " + localBrokerId + " is not the leader of " + topicPartition
                    + " (leader is " + leaderId + ")");
        }
    }

    /** The checks of a read on the leader: the client's epoch is ours, and we lead. */
    void checkLeaderOfEpoch(Optional<Integer> currentLeaderEpoch) {
        checkLeaderEpoch(currentLeaderEpoch);
        if (!isLeader()) {
            throw new NotLeaderOrFollowerException(
                    "Broker " + localBrokerId + " is not the leader of " + topicPartition);
        }
    }

    /** Throws the error Kafka answers when a client's view of the leader epoch is not ours. */
    void checkLeaderEpoch(Optional<Integer> currentLeaderEpoch) {
        if (currentLeaderEpoch.isEmpty() || currentLeaderEpoch.get() == RecordBatch.NO_PARTITION_LEADER_EPOCH) {
            return;
        }
        int theirs = currentLeaderEpoch.get();
        if (theirs > leaderEpoch) {
            throw new UnknownLeaderEpochException(
                    "Epoch " + theirs + " is newer than " + leaderEpoch + " for " + topicPartition);
        }
        if (theirs < leaderEpoch) {
            throw new FencedLeaderEpochException(
                    "Epoch " + theirs + " is older than " + leaderEpoch + " for " + topicPartition);
        }
    }

    /** The applied state with another ISR; leader, epoch and controller epoch are kept. Under the monitor. */
    PartitionState withIsr(List<Integer> newIsr) {
        return new PartitionState(leaderId, leaderEpoch, List.copyOf(newIsr), controllerEpoch);
    }

    int localBrokerId() {
        return localBrokerId;
    }

    int leaderId() {
        return leaderId;
    }

    int leaderEpoch() {
        return leaderEpoch;
    }

    List<Integer> isr() {
        return isr;
    }

    List<Integer> replicas() {
        return replicas;
    }

    int minInsyncReplicas() {
        return minInsyncReplicas;
    }

    int stateVersion() {
        return stateVersion;
    }

    /** Under the monitor or the {@link #leadership} lock (it is written under both). */
    long leaderEpochStartOffset() {
        return leaderEpochStartOffset;
    }

    /** Under the monitor: where this leader's epoch began (the log end when it took over). */
    void leaderEpochStartOffset(long offset) {
        this.leaderEpochStartOffset = offset;
    }

    /** Under the monitor. */
    boolean isrChangeInFlight() {
        return isrChangeInFlight;
    }

    /** Under the monitor. */
    void isrChangeInFlight(boolean inFlight) {
        this.isrChangeInFlight = inFlight;
    }
}
