package io.tributary.group.membership;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where group metadata ({@link StoredGroup}) is kept between restarts. The membership manager
 * calls {@link #save} from under a group lock, so implementations must not block there: they
 * queue the write and apply writes of one group in order. {@link #load} and {@link #loadAll}
 * block and are only called from database threads.
 */
public interface GroupMetadataStore {

    /** The stored group, if any. Throws if the store is unreachable. */
    Optional<StoredGroup> load(String groupId);

    /** Every stored group. Throws if the store is unreachable. */
    List<StoredGroup> loadAll();

    /** Queues an insert-or-update of the group's row; a failure is logged, not thrown. */
    void save(StoredGroup group);

    /** Deletes the group's row after any queued save of it; fails if the store is unreachable. */
    CompletableFuture<Void> delete(String groupId);
}
