package io.tributary.group.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.common.zk.GroupPartitionOwner;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.junit.jupiter.api.Test;

/**
 * The fence's decisions when the partition's row appears between its update and its read: the
 * interleaving of two transactions that the database tests cannot pin down, replayed on a table
 * kept in a map. The SQL itself is covered by the repository contract tests on H2 and PostgreSQL.
 */
class GroupPartitionEpochsTest {

    private static final String GROUP = "restartable";
    private static final int PARTITION = GroupPartitionOwner.partitionOf(GROUP);

    /** The table, with a hook that runs once right after the first (missed) update. */
    private static final class Table implements GroupPartitionEpochRepository {
        final Map<Integer, Long> rows = new HashMap<>();
        Runnable afterFirstMissedUpdate = () -> {};

        @Override
        public Optional<Long> findOwnerEpoch(int partition) {
            return Optional.ofNullable(rows.get(partition));
        }

        @Override
        public GroupPartitionEpochEntity save(GroupPartitionEpochEntity row) {
            if (rows.putIfAbsent(row.getPartition(), row.getOwnerEpoch()) != null) {
                throw new IllegalStateException("duplicate key " + row.getPartition());
            }
            return row;
        }

        @Override
        public int advance(int partition, long epoch) {
            Long stored = rows.get(partition);
            if (stored == null || stored > epoch) {
                Runnable hook = afterFirstMissedUpdate;
                afterFirstMissedUpdate = () -> {};
                hook.run();
                return 0;
            }
            rows.put(partition, epoch);
            return 1;
        }
    }

    private final Table table = new Table();
    private final GroupPartitionEpochs epochs = new GroupPartitionEpochs(table);

    @Test
    void shouldGoOnWhenARacingFirstWriteOfTheSameEpochInsertedTheRow() {
        table.afterFirstMissedUpdate = () -> table.rows.put(PARTITION, 4L); // the other writer commits

        epochs.advance(GROUP, 4);

        assertThat(table.rows).containsEntry(PARTITION, 4L);
    }

    @Test
    void shouldRaiseTheRowWhenARacingFirstWriteOfAnOlderEpochInsertedIt() {
        table.afterFirstMissedUpdate = () -> table.rows.put(PARTITION, 3L);

        epochs.advance(GROUP, 4);

        assertThat(table.rows).containsEntry(PARTITION, 4L);
    }

    @Test
    void shouldRefuseAWriteOnceANewerEpochWroteThePartition() {
        table.rows.put(PARTITION, 5L);

        assertThatThrownBy(() -> epochs.advance(GROUP, 4))
                .isInstanceOf(NotCoordinatorException.class)
                .hasMessageContaining("epoch 5 > 4");
        assertThat(table.rows).containsEntry(PARTITION, 5L);
    }

    @Test
    void shouldInsertTheFirstRowOfAPartition() {
        epochs.advance(GROUP, 1);

        assertThat(table.rows).containsEntry(PARTITION, 1L);
    }
}
