package io.tributary.broker.group;

import io.tributary.broker.authz.Authorization;
import io.tributary.broker.authz.Authorization.Acl;
import java.util.List;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.OffsetFetchRequest;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.stereotype.Component;

/**
 * OffsetFetch, relayed to the group's owner. From v8 the request carries a list of groups; the
 * clients put one group in it per coordinator, so a request is relayed by its first group.
 */
@Authorization(
        value = {
            @Acl(operation = AclOperation.DESCRIBE, resource = ResourceType.GROUP),
            @Acl(operation = AclOperation.DESCRIBE, resource = ResourceType.TOPIC)
        },
        note = "DESCRIBE on each group, else GROUP_AUTHORIZATION_FAILED; topics without DESCRIBE are left out"
                + " of an all-topics answer and TOPIC_AUTHORIZATION_FAILED per partition when named"
                + " (topics checked by the group-coordinator)")
@Component
class OffsetFetchHandler extends SingleGroupRelayHandler {

    OffsetFetchHandler(GroupRelay relay) {
        super(relay, ApiKeys.OFFSET_FETCH, AclOperation.DESCRIBE);
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
