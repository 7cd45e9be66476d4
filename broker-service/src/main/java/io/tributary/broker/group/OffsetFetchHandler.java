package io.tributary.broker.group;

import java.util.List;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.OffsetFetchRequest;
import org.springframework.stereotype.Component;

/**
 * OffsetFetch, relayed to the group's owner. From v8 the request carries a list of groups; the
 * clients put one group in it per coordinator, so a request is relayed by its first group.
 */
@Component
class OffsetFetchHandler extends SingleGroupRelayHandler {

    OffsetFetchHandler(GroupRelay relay) {
        super(relay, ApiKeys.OFFSET_FETCH);
    }

    @Override
    String groupId(AbstractRequest request) {
        OffsetFetchRequestData data = ((OffsetFetchRequest) request).data();
        List<OffsetFetchRequestData.OffsetFetchRequestGroup> groups = data.groups();
        return groups == null || groups.isEmpty()
                ? data.groupId()
                : groups.get(0).groupId();
    }
}
