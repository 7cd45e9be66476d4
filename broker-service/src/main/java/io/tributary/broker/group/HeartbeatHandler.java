package io.tributary.broker.group;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.springframework.stereotype.Component;

/** HEARTBEAT, relayed to the group's owning group-coordinator instance. */
@Component
class HeartbeatHandler extends SingleGroupRelayHandler {

    HeartbeatHandler(GroupRelay relay) {
        super(relay, ApiKeys.HEARTBEAT);
    }

    @Override
    String groupId(AbstractRequest request) {
        return ((HeartbeatRequest) request).data().groupId();
    }
}
