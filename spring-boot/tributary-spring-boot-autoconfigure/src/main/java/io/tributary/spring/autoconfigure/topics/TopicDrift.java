package io.tributary.spring.autoconfigure.topics;

import java.util.Comparator;
import java.util.List;

/**
 * A declared topic compared with the cluster's.
 *
 * @param topic the topic name
 * @param items every difference found; empty when in sync
 */
public record TopicDrift(String topic, List<DriftItem> items) {

    public TopicDrift {
        items = List.copyOf(items);
    }

    /** The worst classification of the items: in sync without any. */
    public DriftKind.Classification status() {
        return items.stream()
                .map(DriftItem::classification)
                .max(Comparator.naturalOrder())
                .orElse(DriftKind.Classification.IN_SYNC);
    }

    public long count(DriftKind kind) {
        return items.stream().filter(item -> item.kind() == kind).count();
    }
}
