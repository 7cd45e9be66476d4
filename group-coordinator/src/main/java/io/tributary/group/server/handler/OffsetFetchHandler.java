package io.tributary.group.server.handler;

import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.coordinator.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.OffsetFetchRequest;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.springframework.stereotype.Component;

/** OffsetFetch up to v9 (v8+ batches groups; v10 names topics by id only, which the coordinator
 * cannot resolve). */
@Component
class OffsetFetchHandler extends GroupApiHandler<OffsetFetchRequest, OffsetFetchRequestData, OffsetFetchResponseData> {

    OffsetFetchHandler(GroupCoordinator coordinator) {
        super(coordinator, ApiKeys.OFFSET_FETCH, OffsetFetchRequest.class, 9);
    }

    @Override
    CompletableFuture<OffsetFetchResponseData> call(RequestContext context, OffsetFetchRequestData data) {
        return coordinator.fetchOffsets(context, data);
    }

    @Override
    AbstractResponse wrap(OffsetFetchResponseData data, short version) {
        return new OffsetFetchResponse(data, version);
    }
}
