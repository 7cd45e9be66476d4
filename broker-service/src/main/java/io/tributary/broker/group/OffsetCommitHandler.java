package io.tributary.broker.group;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.springframework.stereotype.Component;

/** OFFSET_COMMIT, relayed to the group's owning group-coordinator instance. */
@Component
class OffsetCommitHandler extends SingleGroupRelayHandler {

    OffsetCommitHandler(GroupRelay relay) {
        super(relay, ApiKeys.OFFSET_COMMIT);
    }

    @Override
    String groupId(AbstractRequest request) {
        return ((OffsetCommitRequest) request).data().groupId();
    }
}
