package io.tributary.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

class LogConfigTest {

    @Test
    void shouldUseKafkasDefaults() {
        LogConfig config = LogConfig.defaults();

        assertThat(config.segmentBytes()).isEqualTo(1 << 30);
        assertThat(config.segmentMs()).isEqualTo(604_800_000L);
        assertThat(config.segmentIndexBytes()).isEqualTo(10 * 1024 * 1024);
        assertThat(config.indexIntervalBytes()).isEqualTo(4096);
        assertThat(config.retentionMs()).isEqualTo(604_800_000L);
        assertThat(config.retentionBytes()).isEqualTo(-1);
        assertThat(config.maxMessageBytes()).isEqualTo(1_048_588);
        assertThat(config.flushMessages()).isEqualTo(Long.MAX_VALUE);
        assertThat(config.flushMs()).isEqualTo(Long.MAX_VALUE);
        assertThat(config.fileDeleteDelayMs()).isEqualTo(60_000);
        assertThat(config.cleanupPolicy()).containsExactly("delete");
    }

    @Test
    void shouldApplyOverridesAndIgnoreKeysItDoesNotUse() {
        LogConfig config = LogConfig.fromMap(Map.of(
                "segment.bytes",
                "4096",
                "retention.ms",
                "-1",
                "cleanup.policy",
                "compact,delete",
                "min.insync.replicas",
                "2"));

        assertThat(config.segmentBytes()).isEqualTo(4096);
        assertThat(config.retentionMs()).isEqualTo(-1);
        assertThat(config.cleanupPolicy()).containsExactly("compact", "delete");
        assertThat(config.deleteRetentionEnabled()).isTrue();
    }

    @Test
    void shouldRejectInvalidValuesNamingTheKey() {
        assertThatThrownBy(() -> LogConfig.fromMap(Map.of("segment.bytes", "lots")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("segment.bytes");
        assertThatThrownBy(() -> LogConfig.fromMap(Map.of("segment.bytes", "99999999999")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("segment.bytes");
        assertThatThrownBy(() -> LogConfig.fromMap(Map.of("retention.bytes", "-2")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("retention.bytes");
        assertThatThrownBy(() -> LogConfig.fromMap(Map.of("cleanup.policy", "forever")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("cleanup.policy");
        assertThatThrownBy(() -> LogConfig.fromMap(Map.of("flush.messages", "0")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("flush.messages");
    }

    @Test
    void shouldNameSegmentFilesAndParsePartitionDirectories() {
        assertThat(LogFileNames.logFile(new java.io.File("d"), 42).getName()).isEqualTo("00000000000000000042.log");
        assertThat(LogFileNames.offsetFromFileName("00000000000000000042.timeindex"))
                .isEqualTo(42);
        assertThat(LogFileNames.parseTopicPartition(Path.of("my-topic-12")))
                .hasValue(new TopicPartition("my-topic", 12));
        assertThat(LogFileNames.parseTopicPartition(Path.of("my-topic-12.abc-delete")))
                .isEmpty();
        assertThat(LogFileNames.parseTopicPartition(Path.of("topic-x"))).isEmpty();
        assertThat(List.of(LogFileNames.isLogFile(new java.io.File("00000000000000000042.log.deleted"))))
                .containsExactly(false);
    }
}
