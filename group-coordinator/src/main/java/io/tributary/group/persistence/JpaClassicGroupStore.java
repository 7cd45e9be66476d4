package io.tributary.group.persistence;

import io.tributary.common.zk.GroupPartitionOwner;
import io.tributary.group.membership.ClassicGroupSnapshot;
import io.tributary.group.membership.ClassicGroupStore;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.transaction.support.TransactionOperations;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link ClassicGroupStore} on the {@code classic_group_state} table: one row per classic group
 * with its Stable generation as a JSON document (the {@link ClassicGroupSnapshot} record; byte
 * arrays as base64). Writes go through a {@link FencedGroupWriter}: one writer thread, the latest
 * state of a group only, fenced by the ownership epoch. A failed write is dropped: the members of
 * a group the new owner does not know rejoin, as without a stored state. Thread-safe.
 */
public final class JpaClassicGroupStore implements ClassicGroupStore, AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ClassicGroupStateRepository repository;
    private final TransactionOperations transactions;
    private final FencedGroupWriter<ClassicGroupSnapshot> writer;

    public JpaClassicGroupStore(
            ClassicGroupStateRepository repository, TransactionOperations transactions, WriteFence fence) {
        this.repository = repository;
        this.transactions = transactions;
        this.writer = new FencedGroupWriter<>(
                "classic-group", transactions, fence, (groupId, state) -> upsert(state), repository::deleteByGroupId);
    }

    @Override
    public void save(ClassicGroupSnapshot group) {
        writer.submit(group.groupId(), group);
    }

    @Override
    public void delete(String groupId) {
        writer.submit(groupId, null);
    }

    private void upsert(ClassicGroupSnapshot group) {
        String json = JSON.writeValueAsString(group);
        Optional<ClassicGroupStateEntity> row = repository.findById(group.groupId());
        if (row.isPresent()) {
            row.get().update(group.generationId(), json);
        } else {
            repository.save(new ClassicGroupStateEntity(
                    group.groupId(), GroupPartitionOwner.partitionOf(group.groupId()), group.generationId(), json));
        }
    }

    @Override
    public List<ClassicGroupSnapshot> loadPartitions(Collection<Integer> partitions) {
        if (partitions.isEmpty()) {
            return List.of();
        }
        flush(); // this instance's own late writes of the partitions first
        List<ClassicGroupStateEntity> rows =
                transactions.execute(status -> repository.findByGroupPartitionIn(partitions));
        return rows.stream()
                .map(row -> JSON.readValue(row.getState(), ClassicGroupSnapshot.class))
                .toList();
    }

    /** Waits for queued writes (tests, shutdown, a load). */
    public void flush() {
        writer.flush();
    }

    @Override
    public void close() {
        writer.close();
    }
}
