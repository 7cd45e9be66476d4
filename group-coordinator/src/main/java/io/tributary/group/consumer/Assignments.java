package io.tributary.group.consumer;

import io.tributary.group.consumer.assignor.IdPartition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;

/** Between sets of {@link IdPartition}s and the per-topic shapes of the KIP-848 messages. Stateless. */
final class Assignments {

    private Assignments() {}

    static Set<IdPartition> fromRequest(List<ConsumerGroupHeartbeatRequestData.TopicPartitions> topics) {
        Set<IdPartition> partitions = new HashSet<>();
        topics.forEach(t -> t.partitions().forEach(p -> partitions.add(new IdPartition(t.topicId(), p))));
        return partitions;
    }

    static ConsumerGroupHeartbeatResponseData.Assignment toResponse(Set<IdPartition> partitions) {
        ConsumerGroupHeartbeatResponseData.Assignment assignment = new ConsumerGroupHeartbeatResponseData.Assignment();
        byTopic(partitions)
                .forEach((topic, numbers) -> assignment
                        .topicPartitions()
                        .add(new ConsumerGroupHeartbeatResponseData.TopicPartitions()
                                .setTopicId(topic)
                                .setPartitions(numbers)));
        return assignment;
    }

    /** For ConsumerGroupDescribe, with topic names ("" for a topic that no longer exists). */
    static ConsumerGroupDescribeResponseData.Assignment toDescribed(Set<IdPartition> partitions, TopicsImage image) {
        ConsumerGroupDescribeResponseData.Assignment assignment = new ConsumerGroupDescribeResponseData.Assignment();
        byTopic(partitions)
                .forEach((topic, numbers) -> assignment
                        .topicPartitions()
                        .add(new ConsumerGroupDescribeResponseData.TopicPartitions()
                                .setTopicId(topic)
                                .setTopicName(image.name(topic).orElse(""))
                                .setPartitions(numbers)));
        return assignment;
    }

    private static Map<Uuid, List<Integer>> byTopic(Set<IdPartition> partitions) {
        Map<Uuid, List<Integer>> byTopic = new TreeMap<>();
        partitions.stream()
                .sorted()
                .forEach(p -> byTopic.computeIfAbsent(p.topicId(), t -> new ArrayList<>())
                        .add(p.partition()));
        return byTopic;
    }
}
