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
    private static final long NOW = 1_700_000_000_000L;
    private static final long HOUR = 3_600_000L;

    @Test
    void shouldNameEveryKeylessRecordOfABatchOnACompactedLog() {
        MemoryRecords records = batch(Compression.NONE, "k0", null, "k2", null);

        assertThatThrownBy(() -> AppendValidator.validate(records, true, COMPACTED, TP, NOW))
                .isInstanceOfSatisfying(
                        InvalidRecordsException.class,
                        e -> assertThat(e.recordErrors())
                                .extracting(RecordError::batchIndex)
                                .containsExactly(1, 3))
                .hasMessageContaining("Compacted topic cannot accept message without key in topic partition orders-0");
    }

    @Test
    void shouldNameTheKeylessRecordInsideACompressedBatch() {
        MemoryRecords records = batch(Compression.gzip().build(), null, "k1");

        assertThatThrownBy(() -> AppendValidator.validate(records, true, COMPACTED, TP, NOW))
                .isInstanceOfSatisfying(
                        InvalidRecordsException.class,
                        e -> assertThat(e.recordErrors()).singleElement().satisfies(r -> {
                            assertThat(r.batchIndex()).isZero();
                            assertThat(r.message()).contains("without key");
                        }));
    }

    @Test
    void shouldAcceptKeylessRecordsOnALogThatIsNotCompactedAndKeyedOnesOnACompactedLog() {
        assertThat(AppendValidator.validate(batch(Compression.NONE, null, null), true, LogConfig.defaults(), TP, NOW)
                        .offsetCount())
                .isEqualTo(2);
        assertThat(AppendValidator.validate(batch(Compression.NONE, "a", "b"), true, COMPACTED, TP, NOW)
                        .offsetCount())
                .isEqualTo(2);
    }

    @Test
    void shouldRefuseRecordsMoreThanAnHourAheadByDefaultNamingEachOne() {
        MemoryRecords records = timestamped(Compression.NONE, NOW, NOW + HOUR + 1, NOW + HOUR, NOW + 2 * HOUR);

        assertThatThrownBy(() -> AppendValidator.validate(records, true, LogConfig.defaults(), TP, NOW))
                .isInstanceOfSatisfying(
                        InvalidTimestampsException.class,
                        e -> assertThat(e.recordErrors())
                                .extracting(RecordError::batchIndex)
                                .containsExactly(1, 3))
                .hasMessageContaining("Timestamp " + (NOW + HOUR + 1) + " of message with offset 1 is out of range");
        assertThat(AppendValidator.validate(
                                timestamped(Compression.NONE, NOW - 365 * 24 * HOUR, NOW + HOUR),
                                true,
                                LogConfig.defaults(),
                                TP,
                                NOW)
                        .offsetCount())
                .as("any past timestamp and up to an hour ahead by default")
                .isEqualTo(2);
    }

    @Test
    void shouldRefuseRecordsOlderThanABoundedBeforeMaxMsInsideACompressedBatch() {
        LogConfig bounded = LogConfig.fromMap(Map.of("message.timestamp.before.max.ms", "60000"));
        MemoryRecords records = timestamped(Compression.lz4().build(), NOW - 60_001, NOW - 60_000, NOW);

        assertThatThrownBy(() -> AppendValidator.validate(records, true, bounded, TP, NOW))
                .isInstanceOfSatisfying(
                        InvalidTimestampsException.class,
                        e -> assertThat(e.recordErrors())
                                .extracting(RecordError::batchIndex)
                                .containsExactly(0));
    }

    @Test
    void shouldNotCheckTimestampsWithLogAppendTimeOrAsFollower() {
        MemoryRecords ahead = timestamped(Compression.NONE, NOW + 2 * HOUR);
        LogConfig logAppendTime = LogConfig.fromMap(Map.of("message.timestamp.type", "LogAppendTime"));

        assertThat(AppendValidator.validate(ahead, true, logAppendTime, TP, NOW).offsetCount())
                .isEqualTo(1);
        assertThat(AppendValidator.validate(ahead, false, LogConfig.defaults(), TP, NOW)
                        .offsetCount())
                .as("a follower keeps what its leader accepted")
                .isEqualTo(1);
    }

    private static MemoryRecords timestamped(Compression compression, long... timestamps) {
        SimpleRecord[] records = new SimpleRecord[timestamps.length];
        for (int i = 0; i < timestamps.length; i++) {
            records[i] = new SimpleRecord(timestamps[i], null, ("v" + i).getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withRecords(compression, records);
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
