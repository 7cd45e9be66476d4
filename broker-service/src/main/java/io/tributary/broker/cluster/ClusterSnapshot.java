package io.tributary.broker.cluster;

import io.tributary.common.zk.BrokerRegistration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * An immutable, consistent view of the cluster at one moment: live brokers and topics. Readers
 * take one snapshot per request so a request never mixes two versions of the metadata.
 * {@code initialized} is false until ZooKeeper's whole content has been read once: before that
 * a missing topic may only not be loaded yet, so nothing may be deleted for its absence.
 */
public record ClusterSnapshot(
        SortedMap<Integer, BrokerRegistration> brokers,
        Map<String, TopicMetadata> topics,
        Map<UUID, TopicMetadata> topicsById,
        boolean initialized) {

    public static final ClusterSnapshot EMPTY = of(Map.of(), Map.of(), false);

    public static ClusterSnapshot of(
            Map<Integer, BrokerRegistration> brokers, Map<String, TopicMetadata> topics, boolean initialized) {
        return new ClusterSnapshot(
                new TreeMap<>(brokers),
                Map.copyOf(topics),
                topics.values().stream()
                        .collect(
                                Collectors.toUnmodifiableMap(TopicMetadata::topicId, Function.identity(), (a, b) -> a)),
                initialized);
    }

    public Optional<BrokerRegistration> broker(int id) {
        return Optional.ofNullable(brokers.get(id));
    }

    public boolean isLive(int brokerId) {
        return brokers.containsKey(brokerId);
    }

    public Optional<TopicMetadata> topic(String name) {
        return Optional.ofNullable(topics.get(name));
    }

    public Optional<TopicMetadata> topic(UUID topicId) {
        return Optional.ofNullable(topicsById.get(topicId));
    }

    public Collection<BrokerRegistration> liveBrokers() {
        return brokers.values();
    }

    /**
     * The broker Metadata names as controller. The Kafka AdminClient sends CreateTopics and
     * friends to that node, and every broker forwards them to metadata-service, so any live
     * broker will do: the lowest id keeps the answer stable across brokers. -1 when none is live.
     */
    public int controllerBrokerId() {
        return brokers.isEmpty() ? -1 : brokers.firstKey();
    }
}
