package io.tributary.group.coordinator;

import io.tributary.group.membership.GroupIds;
import io.tributary.group.membership.GroupRegistry;
import io.tributary.group.membership.GroupState;
import io.tributary.group.membership.GroupView;
import io.tributary.group.membership.MembershipManager;
import io.tributary.group.txnoffset.PendingTxnOffsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestPartition;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopic;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponsePartition;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponseTopic;
import org.apache.kafka.common.protocol.Errors;

/**
 * OffsetDelete: removes a group's committed offsets of some partitions, and as Kafka does the
 * offsets staged there by undecided transactions ({@link PendingTxnOffsets#deleteOffsets}). An Empty group may drop
 * any; a consumer group with members only those of topics no member subscribes to
 * ({@code GROUP_SUBSCRIBED_TO_TOPIC} per partition otherwise); any other group with members is
 * {@code NON_EMPTY_GROUP}. KIP-848 groups follow the consumer-group rule, with the topics their
 * members subscribe to given by the caller.
 */
final class OffsetDeleter {

    private final MembershipManager membership;
    private final GroupRegistry registry;
    private final PendingTxnOffsets offsets;
    private final Executor databaseExecutor;

    OffsetDeleter(
            MembershipManager membership,
            GroupRegistry registry,
            PendingTxnOffsets offsets,
            Executor databaseExecutor) {
        this.membership = membership;
        this.registry = registry;
        this.offsets = offsets;
        this.databaseExecutor = databaseExecutor;
    }

    CompletableFuture<OffsetDeleteResponseData> delete(OffsetDeleteRequestData request) {
        if (!GroupIds.isValid(request.groupId())) {
            return CompletableFuture.completedFuture(error(Errors.INVALID_GROUP_ID));
        }
        return registry.lookup(request.groupId()).thenCompose(group -> {
            GroupView view = group == null ? null : membership.view(group);
            if (view == null || view.state() == GroupState.DEAD) {
                return CompletableFuture.completedFuture(error(Errors.GROUP_ID_NOT_FOUND));
            }
            Set<String> subscribed;
            if (view.state() == GroupState.EMPTY) {
                subscribed = Set.of();
            } else {
                Optional<Set<String>> topics = view.subscribedTopics();
                if (!"consumer".equals(view.protocolType())) {
                    return CompletableFuture.completedFuture(error(Errors.NON_EMPTY_GROUP));
                }
                subscribed = topics.orElse(null);
            }
            return deleteUnsubscribed(request, subscribed);
        });
    }

    /**
     * Deletes the offsets of the request's partitions whose topic is not in {@code subscribed}
     * (null: all are), answering {@code GROUP_SUBSCRIBED_TO_TOPIC} for the others.
     */
    CompletableFuture<OffsetDeleteResponseData> deleteUnsubscribed(
            OffsetDeleteRequestData request, Set<String> subscribed) {
        OffsetDeleteResponseData response = new OffsetDeleteResponseData();
        List<TopicPartition> deletable = new ArrayList<>();
        for (OffsetDeleteRequestTopic topic : request.topics()) {
            OffsetDeleteResponseTopic topicResponse = new OffsetDeleteResponseTopic().setName(topic.name());
            boolean inUse = subscribed == null || subscribed.contains(topic.name());
            for (OffsetDeleteRequestPartition partition : topic.partitions()) {
                Errors error = inUse ? Errors.GROUP_SUBSCRIBED_TO_TOPIC : Errors.NONE;
                if (!inUse) {
                    deletable.add(new TopicPartition(topic.name(), partition.partitionIndex()));
                }
                topicResponse
                        .partitions()
                        .add(new OffsetDeleteResponsePartition()
                                .setPartitionIndex(partition.partitionIndex())
                                .setErrorCode(error.code()));
            }
            response.topics().add(topicResponse);
        }
        if (deletable.isEmpty()) {
            return CompletableFuture.completedFuture(response);
        }
        return CompletableFuture.runAsync(() -> offsets.deleteOffsets(request.groupId(), deletable), databaseExecutor)
                .thenApply(v -> response);
    }

    private static OffsetDeleteResponseData error(Errors error) {
        return new OffsetDeleteResponseData().setErrorCode(error.code());
    }
}
