package io.tributary.broker.partition;

import io.tributary.common.zk.PartitionState;
import io.tributary.storage.log.HighWatermark;
import io.tributary.storage.log.PartitionLog;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader side of a partition's replication: the followers' progress, the high watermark (the
 * smallest log end across the ISR) and the ISR changes it proposes, as Kafka's {@code Partition}
 * does them: a follower that has caught up is added, followers that lag more than
 * {@code replica.lag.time.max.ms} are removed; one proposal at a time.
 *
 * <p>Thread-safety: see {@link Partition}. A follower's fetch update takes only the leadership read
 * lock (the progress map and the log's high watermark are lock-free); proposing an ISR change takes
 * the partition's monitor, which is passed in as {@code monitor}.
 */
final class IsrManager {

    private static final Logger LOG = LoggerFactory.getLogger(IsrManager.class);

    private final Partition partition;
    private final Object monitor;
    private final ReplicaRole role;
    private final PartitionLog log;
    private final HighWatermark highWatermark;
    private final Clock clock;
    private final PartitionListener listener;
    private final FollowerProgress followers = new FollowerProgress();

    IsrManager(Partition partition, ReplicaRole role, PartitionLog log, Clock clock, PartitionListener listener) {
        this.partition = partition;
        this.monitor = partition;
        this.role = role;
        this.log = log;
        this.highWatermark = log.highWatermark();
        this.clock = clock;
        this.listener = listener;
    }

    /** This replica now leads: every assigned follower starts unknown. */
    void resetFollowers(List<Integer> assignedReplicas) {
        followers.reset(assignedReplicas, role.localBrokerId(), clock.millis());
    }

    /** This replica now follows: the progress of others is no longer its business. */
    void clearFollowers() {
        followers.clear();
    }

    /**
     * Records how far a follower has fetched (its log end offset), moves the high watermark and,
     * when a follower outside the ISR has caught up, proposes adding it.
     */
    void updateFollowerFetchState(int replicaId, long fetchOffset) {
        boolean moved;
        role.leadership.readLock().lock();
        try {
            if (!role.isLeader()
                    || !followers.recordFetch(replicaId, fetchOffset, log.logEndOffset(), clock.millis())) {
                return;
            }
            moved = maybeIncrementHighWatermark();
        } finally {
            role.leadership.readLock().unlock();
        }
        if (moved) {
            listener.onHighWatermarkChanged(partition.topicPartition());
        }
        if (!role.isr().contains(replicaId)
                && fetchOffset >= highWatermark.offset()
                && listener.mayJoinIsr(partition.topicPartition(), replicaId)) {
            maybeExpandIsr(replicaId, fetchOffset);
        }
    }

    /** A follower outside the ISR has caught up: propose adding it (rare; takes the monitor). */
    private void maybeExpandIsr(int replicaId, long fetchOffset) {
        PartitionState expansion;
        int expectedVersion;
        synchronized (monitor) {
            if (!role.isLeader()
                    || role.isr().contains(replicaId)
                    || role.isrChangeInFlight()
                    || fetchOffset < highWatermark.offset()
                    || fetchOffset < role.leaderEpochStartOffset()) {
                return;
            }
            List<Integer> expanded = new ArrayList<>(role.isr());
            expanded.add(replicaId);
            expansion = role.withIsr(expanded);
            role.isrChangeInFlight(true);
            expectedVersion = role.stateVersion();
        }
        LOG.info(
                "{}: follower {} caught up at offset {}; proposing ISR {}",
                partition.topicPartition(),
                replicaId,
                fetchOffset,
                expansion.isr());
        listener.onIsrChangeProposed(partition, expansion, expectedVersion);
    }

    /** Leader only: proposes removing followers that have not caught up within {@code maxLagMs}. */
    void maybeShrinkIsr(long maxLagMs) {
        PartitionState shrunk;
        int expectedVersion;
        synchronized (monitor) {
            if (!role.isLeader() || role.isrChangeInFlight()) {
                return;
            }
            List<Integer> isr = role.isr();
            List<Integer> lagging = followers.lagging(isr, role.localBrokerId(), clock.millis(), maxLagMs);
            if (lagging.isEmpty()) {
                return;
            }
            List<Integer> remaining =
                    isr.stream().filter(replica -> !lagging.contains(replica)).toList();
            shrunk = role.withIsr(remaining);
            role.isrChangeInFlight(true);
            expectedVersion = role.stateVersion();
            LOG.info(
                    "{}: followers {} lag more than {} ms; proposing ISR {}",
                    partition.topicPartition(),
                    lagging,
                    maxLagMs,
                    remaining);
        }
        listener.onIsrChangeProposed(partition, shrunk, expectedVersion);
    }

    /** The write of a proposed ISR change failed (lost race or ZooKeeper away); allow another. */
    void isrChangeFailed() {
        synchronized (monitor) {
            role.isrChangeInFlight(false);
        }
    }

    /**
     * Leader only: the high watermark is the smallest log end across the ISR. Caller holds the
     * leadership lock (read or write); the log's move is lock-free and forward only.
     */
    boolean maybeIncrementHighWatermark() {
        if (!role.isLeader()) {
            return false;
        }
        long newHighWatermark = log.logEndOffset();
        for (int replica : role.isr()) {
            if (replica != role.localBrokerId()) {
                newHighWatermark = Math.min(newHighWatermark, followers.logEndOffset(replica));
            }
        }
        return highWatermark.maybeIncrement(newHighWatermark);
    }
}
