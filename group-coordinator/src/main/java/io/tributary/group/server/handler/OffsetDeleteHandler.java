package io.tributary.group.server.handler;

import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.coordinator.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.OffsetDeleteRequest;
import org.apache.kafka.common.requests.OffsetDeleteResponse;
import org.springframework.stereotype.Component;

/** OffsetDelete: offsets of topics no member subscribes to. */
@Component
class OffsetDeleteHandler
        extends GroupApiHandler<OffsetDeleteRequest, OffsetDeleteRequestData, OffsetDeleteResponseData> {

    OffsetDeleteHandler(GroupCoordinator coordinator) {
        super(coordinator, ApiKeys.OFFSET_DELETE, OffsetDeleteRequest.class);
    }

    @Override
    CompletableFuture<OffsetDeleteResponseData> call(RequestContext context, OffsetDeleteRequestData data) {
        return coordinator.deleteOffsets(context, data);
    }

    @Override
    AbstractResponse wrap(OffsetDeleteResponseData data, short version) {
        return new OffsetDeleteResponse(data);
    }
}
