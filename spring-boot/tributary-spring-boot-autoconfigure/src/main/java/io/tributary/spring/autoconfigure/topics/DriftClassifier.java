package io.tributary.spring.autoconfigure.topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compares a declared topic with the cluster's: a pure function, no I/O. Only the configs the
 * declaration names are compared, so broker defaults never count as drift.
 */
public final class DriftClassifier {

    private DriftClassifier() {}

    /** @param actual the cluster's topic, {@code null} when it does not exist */
    public static TopicDrift compare(DeclaredTopic declared, ActualTopic actual) {
        if (actual == null) {
            return new TopicDrift(
                    declared.name(),
                    List.of(new DriftItem(DriftKind.MISSING, null, String.valueOf(declared.partitions()), null)));
        }
        List<DriftItem> items = new ArrayList<>();
        if (actual.partitions() < declared.partitions()) {
            items.add(item(DriftKind.PARTITIONS_LOWER, declared.partitions(), actual.partitions()));
        } else if (actual.partitions() > declared.partitions()) {
            items.add(item(DriftKind.PARTITIONS_HIGHER, declared.partitions(), actual.partitions()));
        }
        if (actual.replicationFactor() != declared.replicationFactor()) {
            items.add(item(DriftKind.REPLICATION_FACTOR, declared.replicationFactor(), actual.replicationFactor()));
        }
        for (Map.Entry<String, String> config : declared.configs().entrySet()) {
            String value = actual.configs().get(config.getKey());
            if (!Objects.equals(config.getValue(), value)) {
                items.add(new DriftItem(DriftKind.CONFIG, config.getKey(), config.getValue(), value));
            }
        }
        return new TopicDrift(declared.name(), items);
    }

    private static DriftItem item(DriftKind kind, int declared, int actual) {
        return new DriftItem(kind, null, Integer.toString(declared), Integer.toString(actual));
    }
}
