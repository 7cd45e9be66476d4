package io.tributary.broker.txn;

import io.tributary.broker.authz.Authorization;
import io.tributary.broker.authz.Authorization.Acl;
import io.tributary.broker.producer.ProducerIdManager;
import io.tributary.broker.server.RequestHandlerPool;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.security.acl.Authorizer;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * InitProducerId. For idempotent producers: a new cluster-unique producer id at epoch 0, or, when
 * the producer sends its current id and epoch (KIP-360, after an unknown-producer or sequence
 * error), the same id with the epoch bumped. For transactional producers ({@code transactional.id}
 * set): the {@link TransactionCoordinator}'s answer, which fences the id's previous producer.
 * Two-phase commit (KIP-939, v6) is not served.
 */
@Authorization(
        value = {
            @Acl(operation = AclOperation.WRITE, resource = ResourceType.TRANSACTIONAL_ID),
            @Acl(operation = AclOperation.IDEMPOTENT_WRITE, resource = ResourceType.CLUSTER),
            @Acl(operation = AclOperation.WRITE, resource = ResourceType.TOPIC)
        },
        note =
                "With a transactional id WRITE on it (TRANSACTIONAL_ID_AUTHORIZATION_FAILED); without, IDEMPOTENT_WRITE on the cluster or WRITE on any topic (CLUSTER_AUTHORIZATION_FAILED)")
@Component
class InitProducerIdHandler implements ApiHandler {

    private final ProducerIdManager producerIds;
    private final TransactionCoordinator coordinator;
    private final RequestHandlerPool pool;

    private Authorizer authorizer = Authorizer.allowAll();

    /** The ACL checks; without it (handlers built in unit tests) everything is allowed. */
    @Autowired
    void authorizer(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    InitProducerIdHandler(ProducerIdManager producerIds, TransactionCoordinator coordinator, RequestHandlerPool pool) {
        this.producerIds = producerIds;
        this.coordinator = coordinator;
        this.pool = pool;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.INIT_PRODUCER_ID;
    }

    @Override
    public short maxVersion() {
        return 5;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        InitProducerIdRequestData data =
                request.body(InitProducerIdRequest.class).data();
        if (data.transactionalId() != null) {
            if (!authorizer.authorized(
                    request, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, data.transactionalId())) {
                return CompletableFuture.completedFuture(
                        HandlerResult.respond(new InitProducerIdResponse(new InitProducerIdResponseData()
                                .setProducerId(-1)
                                .setProducerEpoch((short) -1)
                                .setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code()))));
            }
            // the coordinator may load its state from the log: not for the event loop
            return pool.submit(() -> coordinator.initProducerId(
                            data.transactionalId(),
                            data.transactionTimeoutMs(),
                            data.producerId(),
                            data.producerEpoch()))
                    .thenCompose(result -> result)
                    .thenApply(
                            result -> HandlerResult.respond(new InitProducerIdResponse(new InitProducerIdResponseData()
                                    .setErrorCode(result.error().code())
                                    .setProducerId(result.producerId())
                                    .setProducerEpoch(result.producerEpoch()))));
        }
        // a new block of ids is a ZooKeeper round trip: not for the event loop
        return pool.submit(() -> idempotent(request, data));
    }

    private HandlerResult idempotent(DecodedRequest request, InitProducerIdRequestData data) {
        InitProducerIdResponseData response =
                new InitProducerIdResponseData().setProducerId(-1).setProducerEpoch((short) -1);
        if (!authorizer.clusterAuthorized(request, AclOperation.IDEMPOTENT_WRITE)
                && !authorizer.anyTopicGranted(request, AclOperation.WRITE)) {
            // as Kafka 3+: WRITE on any topic is enough for an idempotent producer
            response.setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
            return HandlerResult.respond(new InitProducerIdResponse(response));
        }
        try {
            if (data.producerId() != RecordBatch.NO_PRODUCER_ID
                    && data.producerEpoch() >= 0
                    && data.producerEpoch() < Short.MAX_VALUE - 1) {
                response.setProducerId(data.producerId()).setProducerEpoch((short) (data.producerEpoch() + 1));
            } else {
                response.setProducerId(producerIds.nextProducerId()).setProducerEpoch((short) 0);
            }
        } catch (Exception e) {
            response.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
        }
        return HandlerResult.respond(new InitProducerIdResponse(response));
    }
}
