package io.tributary.broker.server.handler;

import io.tributary.broker.authz.Authorizer;
import io.tributary.broker.producer.ProducerIdManager;
import io.tributary.broker.server.RequestHandlerPool;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * InitProducerId for idempotent producers: a new cluster-unique producer id at epoch 0, or, when
 * the producer sends its current id and epoch (KIP-360, after an unknown-producer or sequence
 * error), the same id with the epoch bumped. Transactional producers are refused: Tributary has
 * no transaction coordinator.
 */
@Component
class InitProducerIdHandler implements ApiHandler {

    private final ProducerIdManager producerIds;
    private final RequestHandlerPool pool;

    private Authorizer authorizer = Authorizer.allowAll();

    /** The ACL checks; without it (handlers built in unit tests) everything is allowed. */
    @Autowired
    void authorizer(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    InitProducerIdHandler(ProducerIdManager producerIds, RequestHandlerPool pool) {
        this.producerIds = producerIds;
        this.pool = pool;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.INIT_PRODUCER_ID;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        // a new block of ids is a ZooKeeper round trip: not for the event loop
        return pool.submit(() -> initProducerId(request));
    }

    private HandlerResult initProducerId(DecodedRequest request) {
        InitProducerIdRequestData data =
                request.body(InitProducerIdRequest.class).data();
        InitProducerIdResponseData response =
                new InitProducerIdResponseData().setProducerId(-1).setProducerEpoch((short) -1);
        if (data.transactionalId() != null) {
            response.setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code());
            return HandlerResult.respond(new InitProducerIdResponse(response));
        }
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
