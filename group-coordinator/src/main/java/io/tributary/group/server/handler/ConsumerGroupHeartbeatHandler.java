package io.tributary.group.server.handler;

import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.coordinator.RequestContext;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatRequest;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatResponse;
import org.springframework.stereotype.Component;

/** ConsumerGroupHeartbeat (KIP-848): join, heartbeat and leave of a {@code group.protocol=consumer} member. */
@Component
class ConsumerGroupHeartbeatHandler
        extends GroupApiHandler<
                ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatRequestData, ConsumerGroupHeartbeatResponseData> {

    ConsumerGroupHeartbeatHandler(GroupCoordinator coordinator) {
        super(coordinator, ApiKeys.CONSUMER_GROUP_HEARTBEAT, ConsumerGroupHeartbeatRequest.class);
    }

    @Override
    CompletableFuture<ConsumerGroupHeartbeatResponseData> call(
            RequestContext context, ConsumerGroupHeartbeatRequestData data) {
        return coordinator.consumerGroupHeartbeat(context, data);
    }

    @Override
    AbstractResponse wrap(ConsumerGroupHeartbeatResponseData data, short version) {
        return new ConsumerGroupHeartbeatResponse(data);
    }
}
