package io.tributary.storage.log;

import static io.tributary.storage.log.Segments.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.storage.log.epoch.LeaderEpochFileCache;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppendStamperTest {

    @TempDir
    Path tmp;

    private LeaderEpochFileCache cache;

    @BeforeEach
    void setUp() throws IOException {
        cache = new LeaderEpochFileCache("orders-0", tmp.resolve(LogFileNames.LEADER_EPOCH_CHECKPOINT_FILE));
    }

    /** Two producer batches (base offset 0 each) in one buffer: 3 records at NOW+5, 2 at NOW+9. */
    private static MemoryRecords twoProducerBatches() {
        MemoryRecords a = TestRecords.batch(NOW + 5, 3, "a");
        MemoryRecords b = TestRecords.batch(NOW + 9, 2, "b");
        ByteBuffer buffer = ByteBuffer.allocate(a.sizeInBytes() + b.sizeInBytes());
        buffer.put(a.buffer().duplicate()).put(b.buffer().duplicate()).flip();
        return MemoryRecords.readableRecords(buffer);
    }

    private static List<long[]> offsetsAndEpochs(MemoryRecords records) {
        List<long[]> out = new ArrayList<>();
        for (MutableRecordBatch batch : records.batches()) {
            out.add(new long[] {batch.baseOffset(), batch.lastOffset(), batch.partitionLeaderEpoch()});
        }
        return out;
    }

    @Test
    void shouldAssignConsecutiveOffsetsAndTheLeaderEpochAsLeader() {
        MemoryRecords records = twoProducerBatches();

        AppendStamper.Stamped stamped = AppendStamper.stamp(records, true, 100, 7, cache);

        assertThat(offsetsAndEpochs(records)).containsExactly(new long[] {100, 102, 7}, new long[] {103, 104, 7});
        assertThat(stamped.maxTimestamp()).isEqualTo(NOW + 9);
        assertThat(stamped.offsetOfMaxTimestamp()).isEqualTo(104);
        assertThat(cache.latestEpoch()).hasValue(7);
        assertThat(cache.epochForOffset(100)).hasValue(7);
        records.batches().forEach(RecordBatch::ensureValid);
    }

    @Test
    void shouldRecordOnlyANewerEpochInTheCache() {
        cache.assign(9, 50);

        AppendStamper.stamp(twoProducerBatches(), true, 100, 8, cache);
        assertThat(cache.latestEpoch()).hasValue(9);
        assertThat(cache.epochForOffset(100)).hasValue(9);

        AppendStamper.stamp(twoProducerBatches(), true, 200, 10, cache);
        assertThat(cache.epochForOffset(200)).hasValue(10);
    }

    @Test
    void shouldKeepTheLeadersOffsetsAndEpochsAsFollower() {
        MemoryRecords fetched = TestRecords.batch(RecordBatch.MAGIC_VALUE_V2, NOW, 3, "f", 40);
        fetched.batches().forEach(b -> b.setPartitionLeaderEpoch(4));

        AppendStamper.Stamped stamped =
                AppendStamper.stamp(fetched, false, 40, RecordBatch.NO_PARTITION_LEADER_EPOCH, cache);

        assertThat(offsetsAndEpochs(fetched)).containsExactly(new long[] {40, 42, 4});
        assertThat(stamped.offsetOfMaxTimestamp()).isEqualTo(42);
        assertThat(cache.epochForOffset(40)).hasValue(4);
    }
}
