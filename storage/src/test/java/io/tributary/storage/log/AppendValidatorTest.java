package io.tributary.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.Test;

class AppendValidatorTest {

    private static final TopicPartition TP = new TopicPartition("orders", 0);
    private static final LogConfig COMPACTED = LogConfig.fromMap(Map.of("cleanup.policy", "compact"));

    @Test
    void shouldNameEveryKeylessRecordOfABatchOnACompactedLog() {
        MemoryRecords records = batch(Compression.NONE, "k0", null, "k2", null);

        assertThatThrownBy(() -> AppendValidator.validate(records, true, COMPACTED, TP))
                .isInstanceOfSatisfying(
                        InvalidRecordsException.class,
                        e -> assertThat(e.recordErrors())
                                .extracting(InvalidRecordsException.RecordError::batchIndex)
                                .containsExactly(1, 3))
                .hasMessageContaining("Compacted topic cannot accept message without key in topic partition orders-0");
    }

    @Test
    void shouldNameTheKeylessRecordInsideACompressedBatch() {
        MemoryRecords records = batch(Compression.gzip().build(), null, "k1");

        assertThatThrownBy(() -> AppendValidator.validate(records, true, COMPACTED, TP))
                .isInstanceOfSatisfying(
                        InvalidRecordsException.class,
                        e -> assertThat(e.recordErrors()).singleElement().satisfies(r -> {
                            assertThat(r.batchIndex()).isZero();
                            assertThat(r.message()).contains("without key");
                        }));
    }

    @Test
    void shouldAcceptKeylessRecordsOnALogThatIsNotCompactedAndKeyedOnesOnACompactedLog() {
        assertThat(AppendValidator.validate(batch(Compression.NONE, null, null), true, LogConfig.defaults(), TP)
                        .offsetCount())
                .isEqualTo(2);
        assertThat(AppendValidator.validate(batch(Compression.NONE, "a", "b"), true, COMPACTED, TP)
                        .offsetCount())
                .isEqualTo(2);
    }

    private static MemoryRecords batch(Compression compression, String... keys) {
        SimpleRecord[] records = new SimpleRecord[keys.length];
        for (int i = 0; i < keys.length; i++) {
            records[i] = new SimpleRecord(
                    1_700_000_000_000L + i,
                    keys[i] == null ? null : keys[i].getBytes(StandardCharsets.UTF_8),
                    ("v" + i).getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withRecords(compression, records);
    }
}
