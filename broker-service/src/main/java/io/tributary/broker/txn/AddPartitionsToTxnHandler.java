package io.tributary.broker.txn;

import io.tributary.broker.server.RequestHandlerPool;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;
import org.springframework.stereotype.Component;

/**
 * AddPartitionsToTxn from producers (v0-3: one transaction per request). The broker-to-broker
 * batching of v4+ (KIP-890) is not served: the producer negotiates down to v3.
 */
@Component
class AddPartitionsToTxnHandler implements ApiHandler {

    private final TransactionCoordinator coordinator;
    private final RequestHandlerPool pool;

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
        return pool.submit(() -> coordinator.addPartitions(
                        data.v3AndBelowTransactionalId(),
                        data.v3AndBelowProducerId(),
                        data.v3AndBelowProducerEpoch(),
                        new HashSet<>(partitions)))
                .thenCompose(result -> result)
                .thenApply(error -> {
                    Map<TopicPartition, Errors> errors = new HashMap<>();
                    partitions.forEach(tp -> errors.put(tp, error));
                    AddPartitionsToTxnResponseData response = new AddPartitionsToTxnResponseData()
                            .setResultsByTopicV3AndBelow(AddPartitionsToTxnResponse.resultForTransaction(
                                            AddPartitionsToTxnResponse.V3_AND_BELOW_TXN_ID, errors)
                                    .topicResults());
                    return HandlerResult.respond(new AddPartitionsToTxnResponse(response));
                });
    }
}
