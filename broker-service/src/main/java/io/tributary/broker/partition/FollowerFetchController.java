package io.tributary.broker.partition;

import org.apache.kafka.common.TopicPartition;

/**
 * The follower side as the {@link ReplicaManager} drives it: start or stop fetching a partition
 * from its leader after a role change. The fetcher threads live in {@code replication}.
 * Implementations are thread-safe.
 */
public interface FollowerFetchController extends AutoCloseable {

    /**
     * Follows {@code partition} from {@code leaderId} in {@code leaderEpoch}; a call for the leader
     * and epoch already followed changes nothing. A new leader or epoch starts with truncation to
     * the point where the two histories agree.
     */
    void follow(Partition partition, int leaderId, int leaderEpoch);

    /** Stops fetching {@code tp}, if it was followed. */
    void unfollow(TopicPartition tp);

    /** Stops every fetcher. */
    @Override
    void close();
}
