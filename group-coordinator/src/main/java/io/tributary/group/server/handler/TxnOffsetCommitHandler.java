package io.tributary.group.server.handler;

import io.tributary.common.protocol.DecodedRequest;
import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.coordinator.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.TxnOffsetCommitRequest;
import org.apache.kafka.common.requests.TxnOffsetCommitResponse;
import org.springframework.stereotype.Component;

/**
 * TxnOffsetCommit, relayed by the broker from a transactional producer. v5 (transactions V2,
 * KIP-890 part 2) is handled as v4: the relaying broker has already added the group to the
 * producer's transaction, which a V1 producer does with AddOffsetsToTxn.
 */
@Component
class TxnOffsetCommitHandler
        extends GroupApiHandler<TxnOffsetCommitRequest, TxnOffsetCommitRequestData, TxnOffsetCommitResponseData> {

    TxnOffsetCommitHandler(GroupCoordinator coordinator) {
        super(coordinator, ApiKeys.TXN_OFFSET_COMMIT, TxnOffsetCommitRequest.class, 5);
    }

    /** As Kafka: WRITE on the transactional id, then READ on the group. */
    @Override
    void authorize(DecodedRequest request, TxnOffsetCommitRequestData data) {
        authorizer().requireTransactionalId(request, AclOperation.WRITE, data.transactionalId());
        authorizer().requireGroup(request, AclOperation.READ, data.groupId());
    }

    /** As Kafka: READ on each topic; the others' partitions are TOPIC_AUTHORIZATION_FAILED. */
    @Override
    CompletableFuture<TxnOffsetCommitResponseData> callAuthorized(
            DecodedRequest request, RequestContext context, TxnOffsetCommitRequestData data) {
        AuthorizedSplit<TxnOffsetCommitRequestTopic> split = AuthorizedSplit.of(
                data.topics(),
                TxnOffsetCommitRequestTopic::name,
                topic -> authorizer().topicAuthorized(request, AclOperation.READ, topic));
        if (split.refused().isEmpty()) {
            return call(context, data);
        }
        CompletableFuture<TxnOffsetCommitResponseData> authorized =
                split.authorized().isEmpty()
                        ? CompletableFuture.completedFuture(new TxnOffsetCommitResponseData())
                        : call(context, data.duplicate().setTopics(split.authorized()));
        return authorized.thenApply(response -> {
            List<TxnOffsetCommitResponseTopic> topics = new ArrayList<>(response.topics());
            for (TxnOffsetCommitRequestTopic topic : split.refused()) {
                TxnOffsetCommitResponseTopic answer = new TxnOffsetCommitResponseTopic().setName(topic.name());
                topic.partitions()
                        .forEach(p -> answer.partitions()
                                .add(new TxnOffsetCommitResponsePartition()
                                        .setPartitionIndex(p.partitionIndex())
                                        .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())));
                topics.add(answer);
            }
            return response.setTopics(topics);
        });
    }

    @Override
    CompletableFuture<TxnOffsetCommitResponseData> call(RequestContext context, TxnOffsetCommitRequestData data) {
        return coordinator.txnOffsetCommit(context, data);
    }

    @Override
    AbstractResponse wrap(TxnOffsetCommitResponseData data, short version) {
        return new TxnOffsetCommitResponse(data);
    }
}
