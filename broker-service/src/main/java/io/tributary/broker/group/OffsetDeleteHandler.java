package io.tributary.broker.group;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.OffsetDeleteRequest;
import org.springframework.stereotype.Component;

/** OFFSET_DELETE, relayed to the group's owning group-coordinator instance. */
@Component
class OffsetDeleteHandler extends SingleGroupRelayHandler {

    OffsetDeleteHandler(GroupRelay relay) {
        super(relay, ApiKeys.OFFSET_DELETE);
    }

    @Override
    String groupId(AbstractRequest request) {
        return ((OffsetDeleteRequest) request).data().groupId();
    }
}
