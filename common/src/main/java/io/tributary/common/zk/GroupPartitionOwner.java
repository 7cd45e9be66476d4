package io.tributary.common.zk;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Content of the persistent {@code /group_coordinators/partitions/{p}} znode: which
 * group-coordinator instance serves the consumer groups of group partition {@code p}, and at
 * which epoch. Groups are spread over {@link #PARTITIONS} partitions by a hash of the group id
 * ({@link #partitionOf}), as Kafka spreads them over {@code __consumer_offsets}.
 *
 * <p>The epoch only ever grows: an instance claims a partition by a compare-and-set that writes
 * the epoch it read plus one, so of two instances that both try, one fails. An instance that sees
 * a record with a higher epoch, or another owner, has lost the partition and stops serving its
 * groups at once. A released partition keeps its epoch and has an empty {@code owner}.
 *
 * @param owner     the owning instance's ownership id (its instance id plus a per-start suffix),
 *                  empty when released
 * @param epoch     the ownership epoch, incremented by every claim
 * @param host      the owner's advertised host
 * @param kafkaPort the owner's Kafka-protocol port, where brokers relay the partition's groups
 * @param httpPort  the owner's HTTP port (REST API), where another instance forwards calls
 */
public record GroupPartitionOwner(String owner, long epoch, String host, int kafkaPort, int httpPort) {

    /** How many group partitions there are (Kafka's {@code offsets.topic.num.partitions}, 50). */
    public static final int PARTITIONS = 50;

    /**
     * The topic name of group partitions where they stand in for partitions, as in Kafka: a
     * transaction that commits a group's offsets has {@code __consumer_offsets-p} among its
     * partitions, and its COMMIT/ABORT marker for that pseudo-partition goes to p's owner.
     */
    public static final String TRANSACTION_MARKER_TOPIC = "__consumer_offsets";

    public GroupPartitionOwner {
        owner = owner == null ? "" : owner;
        host = host == null ? "" : host;
    }

    /** The group partition of {@code groupId}: murmur2 of its UTF-8 bytes, as every service computes it. */
    public static int partitionOf(String groupId) {
        return Utils.toPositive(Utils.murmur2(groupId.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    /** A partition nobody has claimed yet. */
    public static GroupPartitionOwner unowned() {
        return new GroupPartitionOwner("", 0, "", -1, -1);
    }

    public boolean isReleased() {
        return owner.isEmpty();
    }

    /** This record with the owner cleared, at the same epoch. */
    public GroupPartitionOwner released() {
        return new GroupPartitionOwner("", epoch, "", -1, -1);
    }
}
