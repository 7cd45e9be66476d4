package io.tributary.storage.testing;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.ControlRecordType;
import org.apache.kafka.common.record.EndTransactionMarker;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;

/** Transactional batches and transaction markers as a producer and a coordinator write them. */
public final class TransactionalRecords {

    private TransactionalRecords() {}

    /**
     * One transactional batch (base offset 0) of {@code producerId}, records with keys
     * {@code keys} and values "{value}-{key}".
     */
    public static MemoryRecords transactional(
            long producerId, int baseSequence, long timestamp, String value, String... keys) {
        SimpleRecord[] records = new SimpleRecord[keys.length];
        for (int i = 0; i < keys.length; i++) {
            records[i] = new SimpleRecord(
                    timestamp,
                    keys[i].getBytes(StandardCharsets.UTF_8),
                    (value + "-" + keys[i]).getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withTransactionalRecords(Compression.NONE, producerId, (short) 0, baseSequence, records);
    }

    /** The COMMIT or ABORT marker that ends {@code producerId}'s transaction. */
    public static MemoryRecords marker(long producerId, boolean commit, long timestamp) {
        return MemoryRecords.withEndTransactionMarker(
                timestamp,
                producerId,
                (short) 0,
                new EndTransactionMarker(commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT, 0));
    }
}
