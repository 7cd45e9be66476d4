package io.tributary.broker.txn;

import io.tributary.broker.authz.Authorization;
import io.tributary.broker.authz.Authorization.Acl;
import io.tributary.broker.server.RequestHandlerPool;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.security.acl.Authorizer;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AddOffsetsToTxnRequest;
import org.apache.kafka.common.requests.AddOffsetsToTxnResponse;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * AddOffsetsToTxn (v0-4), the first half of {@code sendOffsetsToTransaction}: the consumer group
 * joins the producer's transaction, recorded in {@code __transaction_state}, so that the
 * transaction's end reaches the group's coordinator. The producer then sends the offsets
 * themselves with TxnOffsetCommit to the group's coordinator. As Kafka, it needs WRITE on the
 * transactional id and READ on the group.
 */
@Authorization(
        value = {
            @Acl(operation = AclOperation.WRITE, resource = ResourceType.TRANSACTIONAL_ID),
            @Acl(operation = AclOperation.READ, resource = ResourceType.GROUP)
        },
        note = "WRITE on the transactional id (TRANSACTIONAL_ID_AUTHORIZATION_FAILED), then READ on the group"
                + " (GROUP_AUTHORIZATION_FAILED)")
@Component
class AddOffsetsToTxnHandler implements ApiHandler {

    private final TransactionCoordinator coordinator;
    private final RequestHandlerPool pool;

    private Authorizer authorizer = Authorizer.allowAll();

    /** The ACL checks; without it (handlers built in unit tests) everything is allowed. */
    @Autowired
    void authorizer(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    AddOffsetsToTxnHandler(TransactionCoordinator coordinator, RequestHandlerPool pool) {
        this.coordinator = coordinator;
        this.pool = pool;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ADD_OFFSETS_TO_TXN;
    }

    @Override
    public short maxVersion() {
        return 4;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        AddOffsetsToTxnRequestData data =
                request.body(AddOffsetsToTxnRequest.class).data();
        if (!authorizer.authorized(
                request, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, data.transactionalId())) {
            return answer(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
        }
        if (!authorizer.authorized(request, AclOperation.READ, ResourceType.GROUP, data.groupId())) {
            return answer(Errors.GROUP_AUTHORIZATION_FAILED);
        }
        return pool.submit(() -> coordinator.addOffsets(
                        data.transactionalId(), data.producerId(), data.producerEpoch(), data.groupId()))
                .thenCompose(result -> result)
                .thenApply(AddOffsetsToTxnHandler::response);
    }

    private static CompletableFuture<HandlerResult> answer(Errors error) {
        return CompletableFuture.completedFuture(response(error));
    }

    private static HandlerResult response(Errors error) {
        return HandlerResult.respond(
                new AddOffsetsToTxnResponse(new AddOffsetsToTxnResponseData().setErrorCode(error.code())));
    }
}
