package io.tributary.broker.partition;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A leader's view of its followers' progress: how far each has fetched, and when it was last
 * caught up, decided as Kafka's {@code Replica} does — a follower is caught up when it fetches
 * from the leader's log end, or from at least where the log ended at its previous fetch (it has
 * everything the leader had then). The high watermark and the ISR shrink and expand from these.
 *
 * <p>Thread-safe: followers' fetches record their progress concurrently (each update is atomic
 * per follower); {@link #reset} and {@link #clear} run under the owning {@link Partition}'s
 * leadership write lock, so no fetch records into a leadership being replaced.
 */
final class FollowerProgress {

    /** One follower: its log end offset, and the leader's log end and the time at its last fetch. */
    private record State(
            long logEndOffset, long lastCaughtUpTimeMs, long lastFetchLeaderLogEndOffset, long lastFetchTimeMs) {}

    private final Map<Integer, State> followers = new ConcurrentHashMap<>();

    /** A new leadership: every other assigned replica starts unknown and counted as caught up now. */
    void reset(List<Integer> assignedReplicas, int localBrokerId, long nowMs) {
        followers.clear();
        for (int replica : assignedReplicas) {
            if (replica != localBrokerId) {
                followers.put(replica, new State(-1, nowMs, -1, nowMs));
            }
        }
    }

    /** Not leading: nothing to track. */
    void clear() {
        followers.clear();
    }

    boolean tracks(int replicaId) {
        return followers.containsKey(replicaId);
    }

    /**
     * Records a fetch from {@code fetchOffset} while the leader's log ended at {@code leaderLogEnd}.
     *
     * @return false when the replica is not one of this leadership's followers
     */
    boolean recordFetch(int replicaId, long fetchOffset, long leaderLogEnd, long nowMs) {
        return followers.computeIfPresent(replicaId, (id, previous) -> {
                    long caughtUp = previous.lastCaughtUpTimeMs();
                    if (fetchOffset >= leaderLogEnd) {
                        caughtUp = nowMs;
                    } else if (fetchOffset >= previous.lastFetchLeaderLogEndOffset()) {
                        caughtUp = Math.max(caughtUp, previous.lastFetchTimeMs());
                    }
                    return new State(fetchOffset, caughtUp, leaderLogEnd, nowMs);
                })
                != null;
    }

    /** The follower's log end offset; -1 when it has not fetched in this leadership. */
    long logEndOffset(int replicaId) {
        State follower = followers.get(replicaId);
        return follower == null ? -1 : follower.logEndOffset();
    }

    /** The members of {@code isr} other than the leader that have not caught up within {@code maxLagMs}. */
    List<Integer> lagging(List<Integer> isr, int localBrokerId, long nowMs, long maxLagMs) {
        return isr.stream()
                .filter(replica -> replica != localBrokerId)
                .filter(replica -> {
                    State follower = followers.get(replica);
                    return follower == null || nowMs - follower.lastCaughtUpTimeMs() > maxLagMs;
                })
                .toList();
    }
}
