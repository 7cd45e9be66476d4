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
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.EndTxnRequest;
import org.apache.kafka.common.requests.EndTxnResponse;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * EndTxn: commit or abort. Answered once PrepareCommit/PrepareAbort is in
 * {@code __transaction_state} (the decision is then durable); the markers follow. v5 is sent by
 * transactions-V2 producers (KIP-890 part 2): the coordinator bumps the producer's epoch with
 * every end and answers the producer id and epoch to go on with.
 */
@Authorization(
        value = {@Acl(operation = AclOperation.WRITE, resource = ResourceType.TRANSACTIONAL_ID)},
        note = "WRITE on the transactional id, else TRANSACTIONAL_ID_AUTHORIZATION_FAILED")
@Component
class EndTxnHandler implements ApiHandler {

    private final TransactionCoordinator coordinator;
    private final RequestHandlerPool pool;

    private Authorizer authorizer = Authorizer.allowAll();

    /** The ACL checks; without it (handlers built in unit tests) everything is allowed. */
    @Autowired
    void authorizer(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    EndTxnHandler(TransactionCoordinator coordinator, RequestHandlerPool pool) {
        this.coordinator = coordinator;
        this.pool = pool;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.END_TXN;
    }

    /** EndTxn v5: transactions V2, an epoch bump with every end. */
    private static final short EPOCH_BUMP_VERSION = 5;

    @Override
    public short maxVersion() {
        return EPOCH_BUMP_VERSION;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        EndTxnRequestData data = request.body(EndTxnRequest.class).data();
        if (!authorizer.transactionalIdAuthorized(request, AclOperation.WRITE, data.transactionalId())) {
            return HandlerResult.completed(new EndTxnResponse(new EndTxnResponseData()
                    .setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code())
                    .setProducerId(-1)
                    .setProducerEpoch((short) -1)));
        }
        return pool.submit(() -> coordinator.endTransaction(
                        data.transactionalId(),
                        data.producerId(),
                        data.producerEpoch(),
                        data.committed(),
                        request.apiVersion() >= EPOCH_BUMP_VERSION))
                .thenCompose(result -> result)
                .thenApply(result -> HandlerResult.respond(new EndTxnResponse(new EndTxnResponseData()
                        .setErrorCode(result.error().code())
                        .setProducerId(result.producerId())
                        .setProducerEpoch(result.producerEpoch()))));
    }
}
