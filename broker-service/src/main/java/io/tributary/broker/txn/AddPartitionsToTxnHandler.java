package io.tributary.broker.txn;

import io.tributary.broker.authz.Authorization;
import io.tributary.broker.authz.Authorization.Acl;
import io.tributary.broker.server.RequestHandlerPool;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.security.acl.Authorizer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * AddPartitionsToTxn from producers (v0-3: one transaction per request). The broker-to-broker
 * batching of v4+ (KIP-890) is not served: the producer negotiates down to v3.
 */
@Authorization(
        value = {
            @Acl(operation = AclOperation.WRITE, resource = ResourceType.TRANSACTIONAL_ID),
            @Acl(operation = AclOperation.WRITE, resource = ResourceType.TOPIC)
        },
        note =
                "WRITE on the transactional id (TRANSACTIONAL_ID_AUTHORIZATION_FAILED for every partition); WRITE on each topic, else its partitions TOPIC_AUTHORIZATION_FAILED and the others OPERATION_NOT_ATTEMPTED")
@Component
class AddPartitionsToTxnHandler implements ApiHandler {

    private final TransactionCoordinator coordinator;
    private final RequestHandlerPool pool;

    private Authorizer authorizer = Authorizer.allowAll();

    /** The ACL checks; without it (handlers built in unit tests) everything is allowed. */
    @Autowired
    void authorizer(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    AddPartitionsToTxnHandler(TransactionCoordinator coordinator, RequestHandlerPool pool) {
        this.coordinator = coordinator;
        this.pool = pool;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ADD_PARTITIONS_TO_TXN;
    }

    @Override
    public short maxVersion() {
        return 3;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        AddPartitionsToTxnRequestData data =
                request.body(AddPartitionsToTxnRequest.class).data();
        List<TopicPartition> partitions = AddPartitionsToTxnRequest.getPartitions(data.v3AndBelowTopics());
        Map<TopicPartition, Errors> refused = refused(request, data.v3AndBelowTransactionalId(), partitions);
        if (!refused.isEmpty()) {
            return HandlerResult.completed(response(refused));
        }
        return pool.submit(() -> coordinator.addPartitions(
                        data.v3AndBelowTransactionalId(),
                        data.v3AndBelowProducerId(),
                        data.v3AndBelowProducerEpoch(),
                        new HashSet<>(partitions)))
                .thenCompose(result -> result)
                .thenApply(error -> {
                    Map<TopicPartition, Errors> errors = new HashMap<>();
                    partitions.forEach(tp -> errors.put(tp, error));
                    return HandlerResult.respond(response(errors));
                });
    }

    /**
     * As Kafka: without WRITE on the transactional id every partition is
     * {@code TRANSACTIONAL_ID_AUTHORIZATION_FAILED}; else the partitions of topics without WRITE
     * are {@code TOPIC_AUTHORIZATION_FAILED} and the others {@code OPERATION_NOT_ATTEMPTED}, since
     * none is added. Empty when everything is authorized.
     */
    private Map<TopicPartition, Errors> refused(
            DecodedRequest request, String transactionalId, List<TopicPartition> partitions) {
        Map<TopicPartition, Errors> errors = new HashMap<>();
        if (!authorizer.transactionalIdAuthorized(request, AclOperation.WRITE, transactionalId)) {
            partitions.forEach(tp -> errors.put(tp, Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED));
            return errors;
        }
        boolean anyRefused = false;
        for (TopicPartition tp : partitions) {
            boolean allowed = authorizer.topicAuthorized(request, AclOperation.WRITE, tp.topic());
            anyRefused |= !allowed;
            errors.put(tp, allowed ? Errors.OPERATION_NOT_ATTEMPTED : Errors.TOPIC_AUTHORIZATION_FAILED);
        }
        return anyRefused ? errors : Map.of();
    }

    private static AddPartitionsToTxnResponse response(Map<TopicPartition, Errors> errors) {
        return new AddPartitionsToTxnResponse(new AddPartitionsToTxnResponseData()
                .setResultsByTopicV3AndBelow(AddPartitionsToTxnResponse.resultForTransaction(
                                AddPartitionsToTxnResponse.V3_AND_BELOW_TXN_ID, errors)
                        .topicResults()));
    }
}
