package io.tributary.common.zk;

import java.util.List;

/**
 * Content of {@code /topics/{name}/partitions/{p}/state}. Written by the controller (leader
 * changes) and by the leader broker (ISR changes), always as a compare-and-set on the znode
 * version.
 *
 * @param leader          broker id of the leader, or {@link #NO_LEADER} when the partition is offline
 * @param leaderEpoch     incremented on every leader change
 * @param isr             the in-sync replicas, leader included
 * @param controllerEpoch epoch of the controller that made the last leader change
 */
public record PartitionState(int leader, int leaderEpoch, List<Integer> isr, int controllerEpoch) {

    public static final int NO_LEADER = -1;

    public PartitionState {
        isr = List.copyOf(isr);
    }

    public boolean isOnline() {
        return leader != NO_LEADER;
    }
}
