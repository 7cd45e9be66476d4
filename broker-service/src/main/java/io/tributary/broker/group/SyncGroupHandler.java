package io.tributary.broker.group;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.SyncGroupRequest;
import org.springframework.stereotype.Component;

/** SYNC_GROUP, relayed to the group's owning group-coordinator instance. */
@Component
class SyncGroupHandler extends SingleGroupRelayHandler {

    SyncGroupHandler(GroupRelay relay) {
        super(relay, ApiKeys.SYNC_GROUP);
    }

    @Override
    String groupId(AbstractRequest request) {
        return ((SyncGroupRequest) request).data().groupId();
    }
}
