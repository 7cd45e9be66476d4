package io.tributary.group.consumer.assignor;

import java.util.Map;
import java.util.Set;

/**
 * A server-side assignor of the KIP-848 protocol (a consumer names one with
 * {@code group.remote.assignor}, sent as {@code ServerAssignor}). A pure function: the same spec
 * always gives the same assignment, and every partition of a subscribed, existing topic goes to
 * exactly one member that subscribes to its topic. Implementations are stateless and thread-safe.
 */
public interface PartitionAssignor {

    /** The name clients use, Kafka's: {@code uniform} or {@code range}. */
    String name();

    /** The target assignment: every member of the spec, each with its partitions (maybe none). */
    Map<String, Set<IdPartition>> assign(AssignmentSpec spec);
}
