package io.tributary.broker.server.handler;

import io.tributary.broker.cluster.ClusterSnapshot;
import io.tributary.broker.cluster.TopicMetadata;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.common.Uuid;

/** Converts between ZooKeeper's topic ids ({@link UUID}) and Kafka's ({@link Uuid}). */
final class TopicIds {

    private TopicIds() {}

    static Uuid toKafka(UUID id) {
        return new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }

    static UUID fromKafka(Uuid id) {
        return new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }

    /** The topic a request names: by id when it carries one (newer versions), else by name. */
    static Optional<TopicMetadata> resolve(ClusterSnapshot snapshot, String name, Uuid id) {
        if (id != null && !Uuid.ZERO_UUID.equals(id)) {
            return snapshot.topic(fromKafka(id));
        }
        return name == null ? Optional.empty() : snapshot.topic(name);
    }
}
