package io.tributary.group.persistence;

import io.tributary.group.membership.GroupMetadataStore;
import io.tributary.group.membership.StoredGroup;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.ThreadUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionOperations;

/**
 * {@link GroupMetadataStore} on the {@code consumer_group} table. Writes are queued on one
 * writer thread, so the writes of a group land in the order the group made them; a write never
 * moves a stored generation backwards (another instance may have taken the group over). A
 * failed write is logged and dropped: the row is a restart hint, the next generation rewrites
 * it. Thread-safe.
 */
public final class JpaGroupMetadataStore implements GroupMetadataStore, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JpaGroupMetadataStore.class);

    private final GroupMetadataRepository repository;
    private final TransactionOperations transactions;
    private final ExecutorService writer =
            Executors.newSingleThreadExecutor(ThreadUtils.createThreadFactory("group-metadata-writer", true));

    public JpaGroupMetadataStore(GroupMetadataRepository repository, TransactionOperations transactions) {
        this.repository = repository;
        this.transactions = transactions;
    }

    @Override
    public Optional<StoredGroup> load(String groupId) {
        return transactions.execute(status -> repository.findById(groupId).map(JpaGroupMetadataStore::toStored));
    }

    @Override
    public List<StoredGroup> loadAll() {
        return transactions.execute(status -> repository.findAll().stream()
                .map(JpaGroupMetadataStore::toStored)
                .toList());
    }

    @Override
    public void save(StoredGroup group) {
        writer.execute(() -> {
            try {
                saveNow(group);
            } catch (RuntimeException e) {
                log.warn(
                        "Could not store metadata of group {} at generation {}: {}",
                        group.groupId(),
                        group.generationId(),
                        e.toString());
            }
        });
    }

    /** Writes the row now, on the caller's thread. */
    public void saveNow(StoredGroup group) {
        transactions.executeWithoutResult(status -> {
            Optional<GroupMetadataEntity> existing = repository.findById(group.groupId());
            if (existing.isPresent()) {
                GroupMetadataEntity row = existing.get();
                if (row.getGenerationId() <= group.generationId()) {
                    row.update(
                            group.protocolType(),
                            group.protocolName(),
                            group.generationId(),
                            group.state(),
                            group.stateTimestampMs());
                }
            } else {
                repository.save(new GroupMetadataEntity(
                        group.groupId(),
                        group.protocolType(),
                        group.protocolName(),
                        group.generationId(),
                        group.state(),
                        group.stateTimestampMs()));
            }
        });
    }

    @Override
    public CompletableFuture<Void> delete(String groupId) {
        // on the writer, so that no queued save of the group re-creates the row afterwards
        return CompletableFuture.runAsync(
                () -> transactions.executeWithoutResult(status -> repository.deleteByGroupId(groupId)), writer);
    }

    /** Waits for queued writes (tests, shutdown). */
    public void flush() {
        try {
            writer.submit(() -> {}).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("Group metadata writes did not drain: {}", e.toString());
        }
    }

    @Override
    public void close() {
        flush();
        writer.shutdownNow();
    }

    static StoredGroup toStored(GroupMetadataEntity row) {
        return new StoredGroup(
                row.getGroupId(),
                row.getProtocolType(),
                row.getProtocolName(),
                row.getGenerationId(),
                row.getState(),
                row.getStateTimestamp());
    }
}
