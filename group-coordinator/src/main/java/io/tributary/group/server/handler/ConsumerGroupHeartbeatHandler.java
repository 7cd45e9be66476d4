package io.tributary.group.server.handler;

import io.tributary.common.protocol.DecodedRequest;
import io.tributary.group.coordinator.GroupCoordinator;
import io.tributary.group.coordinator.RequestContext;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.TopicAuthorizationException;
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
    void authorize(DecodedRequest request, ConsumerGroupHeartbeatRequestData data) {
        authorizer().requireGroup(request, AclOperation.READ, data.groupId());
        // as Kafka: a subscription to a topic the member may not describe is refused whole
        if (data.subscribedTopicNames() != null) {
            Set<String> refused = data.subscribedTopicNames().stream()
                    .filter(topic -> !authorizer().topicAuthorized(request, AclOperation.DESCRIBE, topic))
                    .collect(Collectors.toSet());
            if (!refused.isEmpty()) {
                throw new TopicAuthorizationException(refused);
            }
        }
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
