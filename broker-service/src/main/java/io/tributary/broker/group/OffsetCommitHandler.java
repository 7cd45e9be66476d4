package io.tributary.broker.group;

import io.tributary.broker.authz.Authorization;
import io.tributary.broker.authz.Authorization.Acl;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.stereotype.Component;

/** OFFSET_COMMIT, relayed to the group's owning group-coordinator instance. */
@Authorization(
        value = {
            @Acl(operation = AclOperation.READ, resource = ResourceType.GROUP),
            @Acl(operation = AclOperation.READ, resource = ResourceType.TOPIC)
        },
        note = "READ on the group, else GROUP_AUTHORIZATION_FAILED; READ on each topic, else its partitions"
                + " TOPIC_AUTHORIZATION_FAILED (topics checked by the group-coordinator)")
@Component
class OffsetCommitHandler extends SingleGroupRelayHandler {

    OffsetCommitHandler(GroupRelay relay) {
        super(relay, ApiKeys.OFFSET_COMMIT, AclOperation.READ);
    }

    @Override
    String groupId(AbstractRequest request) {
        return ((OffsetCommitRequest) request).data().groupId();
    }
}
