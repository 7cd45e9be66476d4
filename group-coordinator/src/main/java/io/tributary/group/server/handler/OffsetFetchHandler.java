package io.tributary.group.server.handler;

import io.tributary.common.protocol.DecodedRequest;
import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.coordinator.RequestContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopic;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.OffsetFetchRequest;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.springframework.stereotype.Component;

/** OffsetFetch up to v9 (v8+ batches groups; v10 names topics by id only, which the coordinator
 * cannot resolve). */
@Component
class OffsetFetchHandler extends GroupApiHandler<OffsetFetchRequest, OffsetFetchRequestData, OffsetFetchResponseData> {

    OffsetFetchHandler(GroupCoordinator coordinator) {
        super(coordinator, ApiKeys.OFFSET_FETCH, OffsetFetchRequest.class, 9);
    }

    /** Up to v7 the request names one group, which needs DESCRIBE. */
    @Override
    void authorize(DecodedRequest request, OffsetFetchRequestData data) {
        if (request.apiVersion() < 8) {
            authorizer().requireGroup(request, AclOperation.DESCRIBE, data.groupId());
        }
    }

    /**
     * As Kafka: from v8 each group needs DESCRIBE (the others are answered
     * {@code GROUP_AUTHORIZATION_FAILED} without asking the coordinator); in every answer a topic
     * needs DESCRIBE: one asked for by name is {@code TOPIC_AUTHORIZATION_FAILED} per partition
     * (with no offset), and one the principal may not describe is left out of an all-topics answer.
     */
    @Override
    CompletableFuture<OffsetFetchResponseData> callAuthorized(
            DecodedRequest request, RequestContext context, OffsetFetchRequestData data) {
        Predicate<String> describable = topic -> authorizer().topicAuthorized(request, AclOperation.DESCRIBE, topic);
        if (request.apiVersion() < 8) {
            boolean allTopics = data.topics() == null;
            return call(context, data)
                    .thenApply(response -> response.setTopics(filterTopics(response.topics(), allTopics, describable)));
        }
        Map<String, Boolean> allTopics = new HashMap<>();
        data.groups().forEach(group -> allTopics.put(group.groupId(), group.topics() == null));
        AuthorizedSplit<OffsetFetchRequestGroup> split = AuthorizedSplit.of(
                data.groups(),
                OffsetFetchRequestGroup::groupId,
                group -> authorizer().groupAuthorized(request, AclOperation.DESCRIBE, group));
        CompletableFuture<OffsetFetchResponseData> answer = split.authorized().isEmpty()
                ? CompletableFuture.completedFuture(new OffsetFetchResponseData())
                : call(
                        context,
                        split.refused().isEmpty() ? data : data.duplicate().setGroups(split.authorized()));
        return answer.thenApply(response -> {
            List<OffsetFetchResponseGroup> groups = new ArrayList<>(response.groups());
            for (OffsetFetchResponseGroup group : groups) {
                group.setTopics(
                        filterGroupTopics(group.topics(), allTopics.getOrDefault(group.groupId(), false), describable));
            }
            split.refused()
                    .forEach(group -> groups.add(new OffsetFetchResponseGroup()
                            .setGroupId(group.groupId())
                            .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())));
            return response.setGroups(groups);
        });
    }

    /** Up to v7: the one group's topics. */
    private static List<OffsetFetchResponseTopic> filterTopics(
            List<OffsetFetchResponseTopic> topics, boolean allTopics, Predicate<String> describable) {
        return hide(
                topics,
                OffsetFetchResponseTopic::name,
                allTopics,
                describable,
                topic -> topic.partitions()
                        .forEach(p -> p.setCommittedOffset(OffsetFetchResponse.INVALID_OFFSET)
                                .setCommittedLeaderEpoch(RecordBatch.NO_PARTITION_LEADER_EPOCH)
                                .setMetadata(OffsetFetchResponse.NO_METADATA)
                                .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())));
    }

    /** From v8: one group's topics (the same fields in other classes). */
    private static List<OffsetFetchResponseTopics> filterGroupTopics(
            List<OffsetFetchResponseTopics> topics, boolean allTopics, Predicate<String> describable) {
        return hide(
                topics,
                OffsetFetchResponseTopics::name,
                allTopics,
                describable,
                topic -> topic.partitions()
                        .forEach(p -> p.setCommittedOffset(OffsetFetchResponse.INVALID_OFFSET)
                                .setCommittedLeaderEpoch(RecordBatch.NO_PARTITION_LEADER_EPOCH)
                                .setMetadata(OffsetFetchResponse.NO_METADATA)
                                .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())));
    }

    /**
     * The topics of an answer without those the principal may not describe (all topics asked for),
     * or with those refused (named).
     */
    private static <T> List<T> hide(
            List<T> topics,
            Function<T, String> name,
            boolean allTopics,
            Predicate<String> describable,
            Consumer<T> refuse) {
        List<T> answered = new ArrayList<>();
        for (T topic : topics) {
            if (!describable.test(name.apply(topic))) {
                if (allTopics) {
                    continue;
                }
                refuse.accept(topic);
            }
            answered.add(topic);
        }
        return answered;
    }

    @Override
    CompletableFuture<OffsetFetchResponseData> call(RequestContext context, OffsetFetchRequestData data) {
        return coordinator.fetchOffsets(context, data);
    }

    @Override
    AbstractResponse wrap(OffsetFetchResponseData data, short version) {
        return new OffsetFetchResponse(data, version);
    }
}
