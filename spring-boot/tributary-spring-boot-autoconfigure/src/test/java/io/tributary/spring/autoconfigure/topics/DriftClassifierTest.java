package io.tributary.spring.autoconfigure.topics;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.spring.autoconfigure.topics.DriftKind.Classification;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DriftClassifierTest {

    private static final DeclaredTopic ORDERS =
            new DeclaredTopic("orders", 6, (short) 3, Map.of("min.insync.replicas", "2"));

    private static ActualTopic actual(int partitions, int rf, String minIsr) {
        return new ActualTopic(partitions, rf, Map.of("min.insync.replicas", minIsr, "retention.ms", "604800000"));
    }

    @Test
    void shouldBeInSyncWhenEveryDeclaredValueMatchesAndIgnoreUndeclaredConfigs() {
        TopicDrift drift = DriftClassifier.compare(ORDERS, actual(6, 3, "2"));
        assertThat(drift.items()).isEmpty();
        assertThat(drift.status()).isEqualTo(Classification.IN_SYNC);
    }

    @Test
    void shouldClassifyAMissingTopicAsSafeToReconcile() {
        TopicDrift drift = DriftClassifier.compare(ORDERS, null);
        assertThat(drift.items()).extracting(DriftItem::kind).containsExactly(DriftKind.MISSING);
        assertThat(drift.status()).isEqualTo(Classification.SAFE_TO_RECONCILE);
    }

    @Test
    void shouldClassifyFewerPartitionsAsSafeToReconcile() {
        TopicDrift drift = DriftClassifier.compare(ORDERS, actual(4, 3, "2"));
        assertThat(drift.items()).containsExactly(new DriftItem(DriftKind.PARTITIONS_LOWER, null, "6", "4"));
        assertThat(drift.status()).isEqualTo(Classification.SAFE_TO_RECONCILE);
    }

    @Test
    void shouldClassifyMorePartitionsAsUnsupportedBecauseTopicsNeverShrink() {
        TopicDrift drift = DriftClassifier.compare(ORDERS, actual(8, 3, "2"));
        assertThat(drift.items()).containsExactly(new DriftItem(DriftKind.PARTITIONS_HIGHER, null, "6", "8"));
        assertThat(drift.status()).isEqualTo(Classification.UNSUPPORTED);
    }

    @Test
    void shouldClassifyAnotherReplicationFactorAsUnsupported() {
        TopicDrift drift = DriftClassifier.compare(ORDERS, actual(6, 1, "2"));
        assertThat(drift.items()).containsExactly(new DriftItem(DriftKind.REPLICATION_FACTOR, null, "3", "1"));
        assertThat(drift.status()).isEqualTo(Classification.UNSUPPORTED);
    }

    @Test
    void shouldClassifyADifferentOrAbsentConfigAsSafeToReconcile() {
        assertThat(DriftClassifier.compare(ORDERS, actual(6, 3, "1")).items())
                .containsExactly(new DriftItem(DriftKind.CONFIG, "min.insync.replicas", "2", "1"));
        TopicDrift absent = DriftClassifier.compare(ORDERS, new ActualTopic(6, 3, Map.of()));
        assertThat(absent.items()).containsExactly(new DriftItem(DriftKind.CONFIG, "min.insync.replicas", "2", null));
        assertThat(absent.status()).isEqualTo(Classification.SAFE_TO_RECONCILE);
    }

    @Test
    void shouldReportTheWorstClassificationWhenSeveralThingsDiffer() {
        TopicDrift drift = DriftClassifier.compare(ORDERS, actual(4, 1, "1"));
        assertThat(drift.items())
                .extracting(DriftItem::kind)
                .containsExactly(DriftKind.PARTITIONS_LOWER, DriftKind.REPLICATION_FACTOR, DriftKind.CONFIG);
        assertThat(drift.status()).isEqualTo(Classification.UNSUPPORTED);
        assertThat(drift.count(DriftKind.CONFIG)).isEqualTo(1);
    }
}
