package io.tributary.group.consumer;

import java.util.Collection;
import java.util.List;

/**
 * Where the membership of KIP-848 groups is kept across coordinators (the shared store), so that
 * a group survives the death or hand-over of the coordinator serving it. Implementations are
 * thread-safe and keep the writes of one group in the order they were made.
 */
public interface ConsumerGroupStore {

    /** Keeps nothing: the membership lives in this process only (unit tests). */
    ConsumerGroupStore NONE = new ConsumerGroupStore() {
        @Override
        public void save(ConsumerGroupSnapshot group) {}

        @Override
        public void delete(String groupId) {}

        @Override
        public List<ConsumerGroupSnapshot> loadPartitions(Collection<Integer> partitions) {
            return List.of();
        }
    };

    /** Stores the group's state as it is now, soon; never blocks. */
    void save(ConsumerGroupSnapshot group);

    /** Forgets the group (deleted, or its id taken by a classic group), after its earlier saves. */
    void delete(String groupId);

    /** The stored groups of the given group partitions, read at once; blocks on the store. */
    List<ConsumerGroupSnapshot> loadPartitions(Collection<Integer> partitions);
}
