package io.tributary.broker.group;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.LeaveGroupRequest;
import org.springframework.stereotype.Component;

/** LEAVE_GROUP, relayed to the group's owning group-coordinator instance. */
@Component
class LeaveGroupHandler extends SingleGroupRelayHandler {

    LeaveGroupHandler(GroupRelay relay) {
        super(relay, ApiKeys.LEAVE_GROUP);
    }

    @Override
    String groupId(AbstractRequest request) {
        return ((LeaveGroupRequest) request).data().groupId();
    }
}
