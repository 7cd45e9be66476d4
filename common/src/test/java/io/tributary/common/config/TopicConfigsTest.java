package io.tributary.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

class TopicConfigsTest {

    @Test
    void shouldReportKafkaDefaultsForEveryKnownConfig() {
        Map<String, String> effective = TopicConfigs.effective(Map.of("retention.ms", "1000"));

        assertThat(effective)
                .containsEntry("retention.ms", "1000")
                .containsEntry("cleanup.policy", "delete")
                .containsEntry("segment.bytes", "1073741824")
                .containsEntry("max.message.bytes", "1048588")
                .containsEntry("unclean.leader.election.enable", "false")
                .containsEntry("flush.messages", String.valueOf(Long.MAX_VALUE))
                .containsEntry("file.delete.delay.ms", "60000")
                .containsEntry("min.cleanable.dirty.ratio", "0.5")
                .containsEntry("min.compaction.lag.ms", "0")
                .containsEntry("max.compaction.lag.ms", String.valueOf(Long.MAX_VALUE))
                .containsEntry("delete.retention.ms", "86400000")
                .containsEntry("message.timestamp.before.max.ms", String.valueOf(Long.MAX_VALUE))
                .containsEntry("message.timestamp.after.max.ms", "3600000")
                .hasSize(20);
    }

    @Test
    void shouldRefuseUnknownNamesBadTypesAndOutOfRangeValues() {
        assertThatThrownBy(() -> TopicConfigs.validate(Map.of("retention.nope", "1")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("retention.nope");
        assertThatThrownBy(() -> TopicConfigs.validate(Map.of("retention.ms", "soon")))
                .isInstanceOf(InvalidConfigurationException.class);
        assertThatThrownBy(() -> TopicConfigs.validate(Map.of("min.insync.replicas", "0")))
                .isInstanceOf(InvalidConfigurationException.class);
        assertThatThrownBy(() -> TopicConfigs.validate(Map.of("cleanup.policy", "forever")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("compact");
        assertThatThrownBy(() -> TopicConfigs.validate(Map.of("min.cleanable.dirty.ratio", "1.5")))
                .isInstanceOf(InvalidConfigurationException.class);
        assertThatThrownBy(() -> TopicConfigs.validate(Map.of("max.compaction.lag.ms", "0")))
                .isInstanceOf(InvalidConfigurationException.class);
        assertThatThrownBy(() -> TopicConfigs.validate(Map.of("message.timestamp.type", "Whenever")))
                .isInstanceOf(InvalidConfigurationException.class);
    }

    @Test
    void shouldAcceptValidOverridesAndParseBooleans() {
        Map<String, String> valid = TopicConfigs.validate(Map.of(
                "unclean.leader.election.enable",
                " true ",
                "message.timestamp.type",
                "LogAppendTime",
                "cleanup.policy",
                "compact,delete"));

        assertThat(valid).containsEntry("unclean.leader.election.enable", "true");
        assertThat(valid).containsEntry("cleanup.policy", "compact,delete");
        assertThat(TopicConfigs.uncleanLeaderElectionEnabled(valid)).isTrue();
        assertThat(TopicConfigs.uncleanLeaderElectionEnabled(Map.of())).isFalse();
    }
}
