package io.tributary.broker.group;

import io.tributary.broker.authz.Authorization;
import io.tributary.broker.authz.Authorization.Acl;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.OffsetDeleteRequest;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.stereotype.Component;

/** OFFSET_DELETE, relayed to the group's owning group-coordinator instance. */
@Authorization(
        value = {
            @Acl(operation = AclOperation.DELETE, resource = ResourceType.GROUP),
            @Acl(operation = AclOperation.READ, resource = ResourceType.TOPIC)
        },
        note = "DELETE on the group, else GROUP_AUTHORIZATION_FAILED; READ on each topic, else its partitions"
                + " TOPIC_AUTHORIZATION_FAILED (topics checked by the group-coordinator)")
@Component
class OffsetDeleteHandler extends SingleGroupRelayHandler {

    OffsetDeleteHandler(GroupRelay relay) {
        super(relay, ApiKeys.OFFSET_DELETE, AclOperation.DELETE);
    }

    @Override
    String groupId(AbstractRequest request) {
        return ((OffsetDeleteRequest) request).data().groupId();
    }
}
