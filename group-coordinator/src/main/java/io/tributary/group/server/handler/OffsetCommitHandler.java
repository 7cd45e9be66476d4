package io.tributary.group.server.handler;

import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.coordinator.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.springframework.stereotype.Component;

/** OffsetCommit up to v9: v10 names topics by id only, which the coordinator cannot resolve
 * (the classic consumer caps at v9 anyway). */
@Component
class OffsetCommitHandler
        extends GroupApiHandler<OffsetCommitRequest, OffsetCommitRequestData, OffsetCommitResponseData> {

    OffsetCommitHandler(GroupCoordinator coordinator) {
        super(coordinator, ApiKeys.OFFSET_COMMIT, OffsetCommitRequest.class, 9);
    }

    @Override
    CompletableFuture<OffsetCommitResponseData> call(RequestContext context, OffsetCommitRequestData data) {
        return coordinator.commitOffsets(context, data);
    }

    @Override
    AbstractResponse wrap(OffsetCommitResponseData data, short version) {
        return new OffsetCommitResponse(data);
    }
}
