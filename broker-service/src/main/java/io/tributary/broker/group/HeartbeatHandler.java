package io.tributary.broker.group;

import io.tributary.broker.authz.Authorization;
import io.tributary.broker.authz.Authorization.Acl;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.stereotype.Component;

/** HEARTBEAT, relayed to the group's owning group-coordinator instance. */
@Authorization(
        value = {@Acl(operation = AclOperation.READ, resource = ResourceType.GROUP)},
        note = "READ on the group, else GROUP_AUTHORIZATION_FAILED")
@Component
class HeartbeatHandler extends SingleGroupRelayHandler {

    HeartbeatHandler(GroupRelay relay) {
        super(relay, ApiKeys.HEARTBEAT, AclOperation.READ);
    }

    @Override
    String groupId(AbstractRequest request) {
        return ((HeartbeatRequest) request).data().groupId();
    }
}
