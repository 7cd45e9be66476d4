package io.tributary.spring.autoconfigure.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RiskySettingsTest {

    private static DeclaredTopic declared(String name, int replicationFactor, Map<String, String> configs) {
        return new DeclaredTopic(name, 1, (short) replicationFactor, configs);
    }

    @Test
    void shouldFlagEachDeclaredReplicationFactorAboveTheLiveBrokers() {
        List<String> warnings = RiskySettings.replicationAboveLiveBrokers(
                List.of(declared("fits", 2, Map.of()), declared("wide", 3, Map.of())), 2);
        assertThat(warnings)
                .singleElement()
                .asString()
                .contains("Declared topic wide has replication factor 3 but only 2 broker(s) are live");
    }

    @Test
    void shouldFlagMinInsyncEqualToTheReplicationFactorOnlyWithAcksAll() {
        List<DeclaredTopic> topics = List.of(
                declared("strict", 3, Map.of("min.insync.replicas", "3")),
                declared("relaxed", 3, Map.of("min.insync.replicas", "2")));
        assertThat(RiskySettings.minInsyncEqualsReplication(topics, Map.of(), "all"))
                .singleElement()
                .asString()
                .contains("acks=all and topic strict has min.insync.replicas=3");
        assertThat(RiskySettings.minInsyncEqualsReplication(topics, Map.of(), "1"))
                .isEmpty();
        assertThat(RiskySettings.minInsyncEqualsReplication(topics, Map.of(), null))
                .isEmpty();
    }

    @Test
    void shouldJudgeAnExistingTopicByTheClustersValues() {
        // declared without min.insync.replicas: the broker's default makes it strict
        List<DeclaredTopic> topics = List.of(declared("orders", 2, Map.of()));
        Map<String, ActualTopic> actual = Map.of("orders", new ActualTopic(1, 2, Map.of("min.insync.replicas", "2")));
        assertThat(RiskySettings.minInsyncEqualsReplication(topics, actual, "all"))
                .singleElement()
                .asString()
                .contains("topic orders has min.insync.replicas=2");
        Map<String, ActualTopic> wider = Map.of("orders", new ActualTopic(1, 3, Map.of("min.insync.replicas", "2")));
        assertThat(RiskySettings.minInsyncEqualsReplication(topics, wider, "all"))
                .isEmpty();
    }

    @Test
    void shouldLeaveSingleReplicaTopicsAlone() {
        assertThat(RiskySettings.minInsyncEqualsReplication(
                        List.of(declared("dev", 1, Map.of("min.insync.replicas", "1"))), Map.of(), "all"))
                .isEmpty();
    }
}
