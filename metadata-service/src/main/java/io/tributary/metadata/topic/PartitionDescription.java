package io.tributary.metadata.topic;

import java.util.List;

/**
 * One partition of a topic description.
 *
 * @param partition   the partition number
 * @param replicas    assigned replicas, preferred leader first
 * @param leader      the leader's broker id, -1 when offline or not yet elected
 * @param leaderEpoch the leader epoch, -1 before the controller initialised the partition
 * @param isr         the in-sync replicas
 */
public record PartitionDescription(
        int partition, List<Integer> replicas, int leader, int leaderEpoch, List<Integer> isr) {}
