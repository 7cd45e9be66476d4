package io.tributary.broker.txn;

import io.tributary.broker.authz.Authorization;
import io.tributary.broker.authz.Authorization.Acl;
import io.tributary.broker.server.RequestHandlerPool;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.security.acl.Authorizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData.TopicData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeTransactionsRequest;
import org.apache.kafka.common.requests.DescribeTransactionsResponse;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/** DescribeTransactions: the state, producer, timeout and partitions of ids this broker coordinates. */
@Authorization(
        value = {
            @Acl(operation = AclOperation.DESCRIBE, resource = ResourceType.TRANSACTIONAL_ID),
            @Acl(operation = AclOperation.DESCRIBE, resource = ResourceType.TOPIC)
        },
        note =
                "DESCRIBE on each transactional id (TRANSACTIONAL_ID_AUTHORIZATION_FAILED); partitions of topics without DESCRIBE are left out")
@Component
class DescribeTransactionsHandler implements ApiHandler {

    private final TransactionCoordinator coordinator;
    private final RequestHandlerPool pool;

    private Authorizer authorizer = Authorizer.allowAll();

    /** The ACL checks; without it (handlers built in unit tests) everything is allowed. */
    @Autowired
    void authorizer(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    DescribeTransactionsHandler(TransactionCoordinator coordinator, RequestHandlerPool pool) {
        this.coordinator = coordinator;
        this.pool = pool;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_TRANSACTIONS;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        DescribeTransactionsRequestData data =
                request.body(DescribeTransactionsRequest.class).data();
        return pool.submit(() -> {
            DescribeTransactionsResponseData response = new DescribeTransactionsResponseData();
            for (String transactionalId : data.transactionalIds()) {
                response.transactionStates().add(describe(request, transactionalId));
            }
            return HandlerResult.respond(new DescribeTransactionsResponse(response));
        });
    }

    private DescribeTransactionsResponseData.TransactionState describe(DecodedRequest request, String transactionalId) {
        DescribeTransactionsResponseData.TransactionState answer =
                new DescribeTransactionsResponseData.TransactionState().setTransactionalId(transactionalId);
        if (!authorizer.transactionalIdAuthorized(request, AclOperation.DESCRIBE, transactionalId)) {
            return answer.setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code());
        }
        Optional<TransactionMetadata> found;
        try {
            found = coordinator.describe(transactionalId);
        } catch (ApiException e) {
            return answer.setErrorCode(Errors.forException(e).code());
        }
        if (found.isEmpty()) {
            return answer.setErrorCode(Errors.TRANSACTIONAL_ID_NOT_FOUND.code());
        }
        TransactionMetadata state = found.get();
        answer.setTransactionState(state.state().kafkaName())
                .setTransactionTimeoutMs(state.timeoutMs())
                .setTransactionStartTimeMs(state.state().isIdle() ? -1 : state.startMs())
                .setProducerId(state.producerId())
                .setProducerEpoch(state.producerEpoch());
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        for (TopicPartition tp : state.markerPartitions()) {
            if (!authorizer.topicAuthorized(request, AclOperation.DESCRIBE, tp.topic())) {
                continue; // as Kafka: the partitions of topics the caller may not see are left out
            }
            byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition());
        }
        byTopic.forEach((topic, partitions) ->
                answer.topics().add(new TopicData().setTopic(topic).setPartitions(partitions)));
        return answer;
    }
}
