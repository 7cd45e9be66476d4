package io.tributary.cli.groups;

import io.tributary.cli.support.ClientOptions;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/** The AdminClient look-ups the group verbs share. Stateless. */
final class Groups {

    private Groups() {}

    /** The group, or empty when the coordinator does not know it. */
    static Optional<ConsumerGroupDescription> describe(Admin admin, ClientOptions client, String group) {
        try {
            ConsumerGroupDescription description = client.await(
                            admin.describeConsumerGroups(List.of(group)).all())
                    .get(group);
            if (description == null || description.groupState() == GroupState.DEAD) {
                return Optional.empty();
            }
            return Optional.of(description);
        } catch (GroupIdNotFoundException e) {
            return Optional.empty();
        }
    }

    /** Committed offsets (partitions without one are left out). */
    static Map<TopicPartition, Long> committed(Admin admin, ClientOptions client, String group) {
        Map<TopicPartition, OffsetAndMetadata> offsets =
                client.await(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
        return offsets.entrySet().stream()
                .filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /** One ListOffsets look-up for all {@code partitions}. */
    static Map<TopicPartition, Long> offsets(
            Admin admin, ClientOptions client, Collection<TopicPartition> partitions, OffsetSpec spec) {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> request =
                partitions.stream().collect(Collectors.toMap(Function.identity(), tp -> spec));
        Map<TopicPartition, ListOffsetsResultInfo> result =
                client.await(admin.listOffsets(request).all());
        return result.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
}
