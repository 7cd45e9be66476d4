package io.tributary.broker.group;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatRequest;
import org.springframework.stereotype.Component;

/** CONSUMER_GROUP_HEARTBEAT (KIP-848), relayed to the group's owning group-coordinator instance. */
@Component
class ConsumerGroupHeartbeatHandler extends SingleGroupRelayHandler {

    ConsumerGroupHeartbeatHandler(GroupRelay relay) {
        super(relay, ApiKeys.CONSUMER_GROUP_HEARTBEAT);
    }

    @Override
    String groupId(AbstractRequest request) {
        return ((ConsumerGroupHeartbeatRequest) request).data().groupId();
    }
}
