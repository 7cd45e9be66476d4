package io.tributary.storage.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecordsBuilder;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.Records;
import org.apache.kafka.common.record.TimestampType;

/** Small factories for record batches and for reading values back. */
final class TestRecords {

    private TestRecords() {}

    /** One v2 batch (base offset 0) of {@code count} records "prefix-i", all with {@code timestamp}. */
    static MemoryRecords batch(long timestamp, int count, String prefix) {
        return batch(RecordBatch.MAGIC_VALUE_V2, timestamp, count, prefix, 0);
    }

    /** One batch whose record values are {@code valueSize} bytes. */
    static MemoryRecords batchOfSize(long timestamp, int count, int valueSize) {
        ByteBuffer buffer = ByteBuffer.allocate(count * (valueSize + 32) + 128);
        MemoryRecordsBuilder builder = MemoryRecords.builder(
                buffer, RecordBatch.MAGIC_VALUE_V2, Compression.NONE, TimestampType.CREATE_TIME, 0L);
        byte[] value = new byte[valueSize];
        for (int i = 0; i < count; i++) {
            builder.append(timestamp, null, value);
        }
        return builder.build();
    }

    static MemoryRecords batch(byte magic, long timestamp, int count, String prefix, long baseOffset) {
        ByteBuffer buffer = ByteBuffer.allocate(1024 + count * 64);
        MemoryRecordsBuilder builder =
                MemoryRecords.builder(buffer, magic, Compression.NONE, TimestampType.CREATE_TIME, baseOffset);
        for (int i = 0; i < count; i++) {
            builder.append(
                    timestamp,
                    ("k" + i).getBytes(StandardCharsets.UTF_8),
                    (prefix + "-" + i).getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    /** Every record value, in order. */
    static List<String> values(Records records) {
        List<String> values = new ArrayList<>();
        for (Record record : records.records()) {
            values.add(StandardCharsets.UTF_8.decode(record.value()).toString());
        }
        return values;
    }

    /** Every record offset, in order. */
    static List<Long> offsets(Records records) {
        List<Long> offsets = new ArrayList<>();
        for (Record record : records.records()) {
            offsets.add(record.offset());
        }
        return offsets;
    }
}
