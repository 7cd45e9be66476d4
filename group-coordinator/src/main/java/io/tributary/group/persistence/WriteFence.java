package io.tributary.group.persistence;

import org.apache.kafka.common.errors.NotCoordinatorException;

/**
 * Fences the writes of a group (offsets, KIP-848 membership) by the ownership epoch under which this instance accepted
 * them: the epoch is taken when a write is accepted, and checked against the store inside the
 * write's transaction, so a write accepted before the group moved elsewhere cannot land after the
 * new owner's. Implementations are thread-safe.
 */
public interface WriteFence {

    /** No fencing: a coordinator alone on its store (unit tests). */
    WriteFence NONE = new WriteFence() {
        @Override
        public long epochOf(String groupId) {
            return 0;
        }

        @Override
        public void check(String groupId, long epoch) {}
    };

    /**
     * The epoch under which this instance serves {@code groupId} now.
     *
     * @throws NotCoordinatorException if it does not serve it
     */
    long epochOf(String groupId);

    /**
     * Inside the write's transaction: records that {@code epoch} writes the group's partition.
     *
     * @throws NotCoordinatorException if a higher epoch has written it (the transaction rolls back)
     */
    void check(String groupId, long epoch);
}
