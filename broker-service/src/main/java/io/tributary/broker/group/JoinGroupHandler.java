package io.tributary.broker.group;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.springframework.stereotype.Component;

/** JOIN_GROUP, relayed to the group's owning group-coordinator instance. */
@Component
class JoinGroupHandler extends SingleGroupRelayHandler {

    JoinGroupHandler(GroupRelay relay) {
        super(relay, ApiKeys.JOIN_GROUP);
    }

    @Override
    String groupId(AbstractRequest request) {
        return ((JoinGroupRequest) request).data().groupId();
    }
}
