package io.tributary.spring.autoconfigure.topics;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Every declared topic compared with the cluster at one moment. Immutable.
 *
 * @param checkedAt when the cluster was read
 * @param topics    one entry per declared topic, in name order
 */
public record DriftReport(Instant checkedAt, List<TopicDrift> topics) {

    public DriftReport {
        topics = List.copyOf(topics);
    }

    /** Whether every declared topic matches its declaration. */
    public boolean inSync() {
        return topics.stream().allMatch(t -> t.status() == DriftKind.Classification.IN_SYNC);
    }

    public Optional<TopicDrift> topic(String name) {
        return topics.stream().filter(t -> t.topic().equals(name)).findFirst();
    }
}
