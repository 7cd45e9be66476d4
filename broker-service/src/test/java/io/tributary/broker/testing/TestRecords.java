package io.tributary.broker.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.Records;
import org.apache.kafka.common.record.SimpleRecord;

/** Record batches as a producer or a leader would send them, and reading values back. */
public final class TestRecords {

    private TestRecords() {}

    /** One uncompressed v2 batch as a producer sends it (offsets from 0, no producer id). */
    public static MemoryRecords batch(String... values) {
        return MemoryRecords.withRecords(Compression.NONE, simple(values));
    }

    /** One batch as a leader stored it: offsets from {@code baseOffset}, stamped with {@code leaderEpoch}. */
    public static MemoryRecords leaderBatch(long baseOffset, int leaderEpoch, String... values) {
        return MemoryRecords.withRecords(baseOffset, Compression.NONE, leaderEpoch, simple(values));
    }

    /** One batch of an idempotent producer. */
    public static MemoryRecords idempotentBatch(
            long producerId, short producerEpoch, int baseSequence, String... values) {
        return MemoryRecords.withIdempotentRecords(
                Compression.NONE, producerId, producerEpoch, baseSequence, simple(values));
    }

    /** One batch of a transactional producer. */
    public static MemoryRecords transactionalBatch(
            long producerId, short producerEpoch, int baseSequence, String... values) {
        return MemoryRecords.withTransactionalRecords(
                Compression.NONE, producerId, producerEpoch, baseSequence, simple(values));
    }

    /** One batch of an idempotent producer whose records carry {@code timestamp}. */
    public static MemoryRecords idempotentBatchAt(
            long timestamp, long producerId, short producerEpoch, int baseSequence, String... values) {
        return MemoryRecords.withIdempotentRecords(
                Compression.NONE, producerId, producerEpoch, baseSequence, simpleAt(timestamp, values));
    }

    /** One batch of a transactional producer whose records carry {@code timestamp}. */
    public static MemoryRecords transactionalBatchAt(
            long timestamp, long producerId, short producerEpoch, int baseSequence, String... values) {
        return MemoryRecords.withTransactionalRecords(
                Compression.NONE, producerId, producerEpoch, baseSequence, simpleAt(timestamp, values));
    }

    /** A batch of {@code count} records of {@code size} bytes each. */
    public static MemoryRecords batchOfSize(int count, int size) {
        String[] values = new String[count];
        for (int i = 0; i < count; i++) {
            values[i] = "x".repeat(size);
        }
        return batch(values);
    }

    /** {@code records} with one byte of the first batch's payload flipped: its CRC no longer matches. */
    public static MemoryRecords corrupted(MemoryRecords records) {
        ByteBuffer copy = ByteBuffer.allocate(records.sizeInBytes());
        copy.put(records.buffer().duplicate()).flip();
        int last = copy.limit() - 1;
        copy.put(last, (byte) (copy.get(last) ^ 0x5a));
        return MemoryRecords.readableRecords(copy);
    }

    /** The values of every record, in order. */
    public static List<String> values(Records records) {
        List<String> values = new ArrayList<>();
        for (Record record : records.records()) {
            values.add(
                    record.hasValue()
                            ? StandardCharsets.UTF_8.decode(record.value()).toString()
                            : null);
        }
        return values;
    }

    /** The offsets of every record, in order. */
    public static List<Long> offsets(Records records) {
        List<Long> offsets = new ArrayList<>();
        for (Record record : records.records()) {
            offsets.add(record.offset());
        }
        return offsets;
    }

    /** The leader epoch of every batch, in order. */
    public static List<Integer> batchEpochs(Records records) {
        List<Integer> epochs = new ArrayList<>();
        for (RecordBatch batch : records.batches()) {
            epochs.add(batch.partitionLeaderEpoch());
        }
        return epochs;
    }

    private static SimpleRecord[] simple(String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(1_000L + i, null, values[i].getBytes(StandardCharsets.UTF_8));
        }
        return records;
    }

    private static SimpleRecord[] simpleAt(long timestamp, String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(timestamp, null, values[i].getBytes(StandardCharsets.UTF_8));
        }
        return records;
    }
}
