package io.tributary.broker.group;

import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.TxnOffsetCommitRequest;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.stereotype.Component;

/**
 * TxnOffsetCommit (v0-4) from a transactional producer, relayed to the group's owning
 * group-coordinator instance, which keeps the offsets pending until the transaction's marker.
 * As Kafka, it needs WRITE on the transactional id (checked here) and READ on the group.
 */
@Component
class TxnOffsetCommitHandler extends SingleGroupRelayHandler {

    TxnOffsetCommitHandler(GroupRelay relay) {
        super(relay, ApiKeys.TXN_OFFSET_COMMIT);
    }

    @Override
    public short maxVersion() {
        return 4; // v5 belongs to transactions V2 (KIP-890 part 2), not served
    }

    @Override
    String groupId(AbstractRequest request) {
        return ((TxnOffsetCommitRequest) request).data().groupId();
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        TxnOffsetCommitRequestData data =
                request.body(TxnOffsetCommitRequest.class).data();
        if (!authorizer()
                .authorized(request, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, data.transactionalId())) {
            return HandlerResult.completed(request.request()
                    .getErrorResponse(new TransactionalIdAuthorizationException(
                            "Not authorized to use transactional id " + data.transactionalId())));
        }
        return super.handle(request);
    }
}
