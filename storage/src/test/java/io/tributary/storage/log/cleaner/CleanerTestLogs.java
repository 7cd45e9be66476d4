package io.tributary.storage.log.cleaner;

import io.tributary.storage.log.LogConfig;
import io.tributary.storage.log.PartitionLog;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecordsBuilder;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.TimestampType;

/** Record factories and readers for the cleaner's tests. */
final class CleanerTestLogs {

    static final long NOW = 1_700_000_000_000L;

    private CleanerTestLogs() {}

    /** A compacted log's config with small segments, plus {@code overrides}. */
    static LogConfig compactedConfig(Map<String, String> overrides) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put(LogConfig.CLEANUP_POLICY_CONFIG, LogConfig.CLEANUP_POLICY_COMPACT);
        all.put(LogConfig.SEGMENT_BYTES_CONFIG, "1024");
        all.put(LogConfig.INDEX_INTERVAL_BYTES_CONFIG, "128");
        all.put(LogConfig.SEGMENT_INDEX_BYTES_CONFIG, "4096");
        all.put(LogConfig.FILE_DELETE_DELAY_MS_CONFIG, "0");
        all.putAll(overrides);
        return LogConfig.fromMap(all);
    }

    /** One batch of one record; a null value is a tombstone. */
    static MemoryRecords record(long timestamp, String key, String value) {
        return records(timestamp, RecordBatch.NO_PRODUCER_ID, (short) -1, -1, Compression.NONE, key, value);
    }

    /** One batch of {@code keyValues} (key, value, key, value, ...), optionally of an idempotent producer. */
    static MemoryRecords records(
            long timestamp,
            long producerId,
            short epoch,
            int baseSequence,
            Compression compression,
            String... keyValues) {
        MemoryRecordsBuilder builder = MemoryRecords.builder(
                ByteBuffer.allocate(1024 + keyValues.length * 64),
                RecordBatch.MAGIC_VALUE_V2,
                compression,
                TimestampType.CREATE_TIME,
                0L,
                RecordBatch.NO_TIMESTAMP,
                producerId,
                epoch,
                baseSequence,
                false,
                RecordBatch.NO_PARTITION_LEADER_EPOCH);
        for (int i = 0; i < keyValues.length; i += 2) {
            builder.append(timestamp, bytes(keyValues[i]), bytes(keyValues[i + 1]));
        }
        return builder.build();
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    /** One appended record as read back. */
    record Entry(long offset, String key, String value, long timestamp) {}

    /** Every record of the log from its start, in offset order. */
    static java.util.List<Entry> entries(PartitionLog log) {
        java.util.List<Entry> entries = new java.util.ArrayList<>();
        for (RecordBatch batch : log.reader().batchesFrom(log.logStartOffset())) {
            for (Record record : batch) {
                entries.add(
                        new Entry(record.offset(), string(record.key()), string(record.value()), record.timestamp()));
            }
        }
        return entries;
    }

    /** The latest value of each key (null for a tombstone), by key. */
    static Map<String, String> latest(java.util.List<Entry> entries) {
        Map<String, String> latest = new LinkedHashMap<>();
        entries.forEach(e -> latest.put(e.key(), e.value()));
        return latest;
    }

    private static String string(ByteBuffer buffer) {
        return buffer == null ? null : StandardCharsets.UTF_8.decode(buffer).toString();
    }
}
