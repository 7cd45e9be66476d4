package io.tributary.group.consumer;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.kafka.common.Uuid;

/**
 * The topics of the cluster as the consumer-group coordinator sees them: name, id and partition
 * count, read from ZooKeeper ({@link ZkTopicsImageSource}). Immutable.
 *
 * @param byName topic name to its id and partition count
 */
public record TopicsImage(Map<String, Topic> byName) {

    public static final TopicsImage EMPTY = new TopicsImage(Map.of());

    public TopicsImage {
        byName = Map.copyOf(byName);
    }

    /** A topic: its id and partition count. */
    public record Topic(String name, Uuid id, int partitions) {}

    public Optional<Topic> topic(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The name of the topic with {@code id}; empty if no such topic exists (any more). */
    public Optional<String> name(Uuid id) {
        return byName.values().stream()
                .filter(t -> t.id().equals(id))
                .map(Topic::name)
                .findFirst();
    }

    /** The topics whose whole name matches {@code regex}, by name. */
    public Map<String, Topic> matching(Pattern regex) {
        Map<String, Topic> matched = new TreeMap<>();
        byName.forEach((name, topic) -> {
            if (regex.matcher(name).matches()) {
                matched.put(name, topic);
            }
        });
        return matched;
    }

    /** An image of {@code topics}, for tests and for building one up. */
    public static TopicsImage of(Topic... topics) {
        Map<String, Topic> byName = new TreeMap<>();
        for (Topic topic : topics) {
            byName.put(topic.name(), topic);
        }
        return new TopicsImage(byName);
    }
}
