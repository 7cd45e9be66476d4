package io.tributary.group.consumer;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;

/**
 * Turns subscriptions into topics: names that exist, and every topic whose whole name matches a
 * member's regex. Kafka evaluates regexes with RE2/J; this uses {@link java.util.regex}, which
 * agrees on the usual patterns ({@code orders-.*}, alternations, classes). Compiled patterns are
 * cached. Thread-safe.
 */
final class SubscriptionResolver {

    private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

    /** The topics any of {@code members} subscribes to, by name. */
    Map<String, TopicsImage.Topic> topicsOf(Collection<ConsumerGroupMember> members, TopicsImage image) {
        Map<String, TopicsImage.Topic> topics = new TreeMap<>();
        members.forEach(member -> topics.putAll(topicsOf(member, image)));
        return topics;
    }

    /** The ids of the topics {@code member} subscribes to. */
    Set<Uuid> topicIdsOf(ConsumerGroupMember member, TopicsImage image) {
        return topicsOf(member, image).values().stream()
                .map(TopicsImage.Topic::id)
                .collect(Collectors.toSet());
    }

    private Map<String, TopicsImage.Topic> topicsOf(ConsumerGroupMember member, TopicsImage image) {
        Map<String, TopicsImage.Topic> topics = new TreeMap<>();
        member.subscribedTopicNames().forEach(name -> image.topic(name).ifPresent(topic -> topics.put(name, topic)));
        if (member.subscribedTopicRegex() != null) {
            topics.putAll(image.matching(patterns.computeIfAbsent(member.subscribedTopicRegex(), Pattern::compile)));
        }
        return topics;
    }
}
