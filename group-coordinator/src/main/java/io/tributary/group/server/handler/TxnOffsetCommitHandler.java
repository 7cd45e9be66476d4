package io.tributary.group.server.handler;

import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.coordinator.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.TxnOffsetCommitRequest;
import org.apache.kafka.common.requests.TxnOffsetCommitResponse;
import org.springframework.stereotype.Component;

/**
 * TxnOffsetCommit up to v4, relayed by the broker from a transactional producer. v5 belongs to
 * transactions V2 (KIP-890 part 2: the commit adds the group to the transaction itself), which
 * is not served; a producer without transactions V2 uses v4.
 */
@Component
class TxnOffsetCommitHandler
        extends GroupApiHandler<TxnOffsetCommitRequest, TxnOffsetCommitRequestData, TxnOffsetCommitResponseData> {

    TxnOffsetCommitHandler(GroupCoordinator coordinator) {
        super(coordinator, ApiKeys.TXN_OFFSET_COMMIT, TxnOffsetCommitRequest.class, 4);
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
