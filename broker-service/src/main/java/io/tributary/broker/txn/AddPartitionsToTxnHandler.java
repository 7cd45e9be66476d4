package io.tributary.broker.txn;

import io.tributary.broker.authz.Authorization;
import io.tributary.broker.authz.Authorization.Acl;
import io.tributary.broker.server.RequestHandlerPool;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.security.acl.Authorizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnResultCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * AddPartitionsToTxn: from producers v0-3 (one transaction per request); from partition leaders
 * v4-5 (KIP-890), several transactions per request, each either added to or, with
 * {@code verify_only}, only checked against the coordinator's state (the leader's verification
 * before a transaction's first append). v4 cannot carry {@code TRANSACTION_ABORTABLE}, so a
 * partition outside the transaction is {@code INVALID_TXN_STATE} there.
 */
@Authorization(
        value = {
            @Acl(operation = AclOperation.WRITE, resource = ResourceType.TRANSACTIONAL_ID),
            @Acl(operation = AclOperation.WRITE, resource = ResourceType.TOPIC),
            @Acl(operation = AclOperation.CLUSTER_ACTION, resource = ResourceType.CLUSTER)
        },
        note =
                "v0-3 (producers): WRITE on the transactional id (TRANSACTIONAL_ID_AUTHORIZATION_FAILED for every partition); WRITE on each topic, else its partitions TOPIC_AUTHORIZATION_FAILED and the others OPERATION_NOT_ATTEMPTED. v4+ (brokers): CLUSTER_ACTION on the cluster, else CLUSTER_AUTHORIZATION_FAILED for the request")
@Component
class AddPartitionsToTxnHandler implements ApiHandler {

    /** v4 and later come from partition leaders, several transactions at a time (KIP-890). */
    private static final short FROM_BROKERS_VERSION = 4;
    /** v5 added {@code TRANSACTION_ABORTABLE} to the answers. */
    private static final short TRANSACTION_ABORTABLE_VERSION = 5;

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
        return 5;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        AddPartitionsToTxnRequestData data =
                request.body(AddPartitionsToTxnRequest.class).data();
        if (request.apiVersion() >= FROM_BROKERS_VERSION) {
            return handleFromBroker(request, data);
        }
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

    /** v4+: every transaction of the request, verified or added, answered together. */
    private CompletableFuture<HandlerResult> handleFromBroker(
            DecodedRequest request, AddPartitionsToTxnRequestData data) {
        if (!authorizer.clusterAuthorized(request, AclOperation.CLUSTER_ACTION)) {
            return HandlerResult.completed(new AddPartitionsToTxnResponse(
                    new AddPartitionsToTxnResponseData().setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())));
        }
        boolean abortableKnown = request.apiVersion() >= TRANSACTION_ABORTABLE_VERSION;
        List<CompletableFuture<AddPartitionsToTxnResult>> results = new ArrayList<>();
        for (AddPartitionsToTxnTransaction txn : data.transactions()) {
            Set<TopicPartition> partitions = new HashSet<>(AddPartitionsToTxnRequest.getPartitions(txn.topics()));
            CompletableFuture<Map<TopicPartition, Errors>> verdicts = pool.submit(() -> txn.verifyOnly()
                            ? CompletableFuture.completedFuture(verify(txn, partitions))
                            : coordinator
                                    .addPartitions(
                                            txn.transactionalId(), txn.producerId(), txn.producerEpoch(), partitions)
                                    .thenApply(error -> sameFor(partitions, error)))
                    .thenCompose(result -> result);
            results.add(verdicts.thenApply(errors -> AddPartitionsToTxnResponse.resultForTransaction(
                    txn.transactionalId(), forVersion(errors, abortableKnown))));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .thenApply(done -> {
                    AddPartitionsToTxnResultCollection collection = new AddPartitionsToTxnResultCollection();
                    results.forEach(result -> collection.add(result.join()));
                    return HandlerResult.respond(new AddPartitionsToTxnResponse(
                            new AddPartitionsToTxnResponseData().setResultsByTransaction(collection)));
                });
    }

    private Map<TopicPartition, Errors> verify(AddPartitionsToTxnTransaction txn, Set<TopicPartition> partitions) {
        try {
            return coordinator.verifyPartitions(
                    txn.transactionalId(), txn.producerId(), txn.producerEpoch(), partitions);
        } catch (ApiException e) {
            return sameFor(partitions, Errors.forException(e));
        }
    }

    private static Map<TopicPartition, Errors> sameFor(Set<TopicPartition> partitions, Errors error) {
        Map<TopicPartition, Errors> errors = new HashMap<>();
        partitions.forEach(tp -> errors.put(tp, error));
        return errors;
    }

    /** v4 predates {@code TRANSACTION_ABORTABLE}: the leader learns the same as {@code INVALID_TXN_STATE}. */
    private static Map<TopicPartition, Errors> forVersion(Map<TopicPartition, Errors> errors, boolean abortableKnown) {
        if (abortableKnown) {
            return errors;
        }
        Map<TopicPartition, Errors> mapped = new HashMap<>();
        errors.forEach((tp, error) ->
                mapped.put(tp, error == Errors.TRANSACTION_ABORTABLE ? Errors.INVALID_TXN_STATE : error));
        return mapped;
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
