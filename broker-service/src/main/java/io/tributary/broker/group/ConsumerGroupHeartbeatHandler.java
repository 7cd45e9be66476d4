package io.tributary.broker.group;

import io.tributary.broker.authz.Authorization;
import io.tributary.broker.authz.Authorization.Acl;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.security.acl.Authorizer;
import java.util.List;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatRequest;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.stereotype.Component;

/** CONSUMER_GROUP_HEARTBEAT (KIP-848), relayed to the group's owning group-coordinator instance. */
@Authorization(
        value = {
            @Acl(operation = AclOperation.READ, resource = ResourceType.GROUP),
            @Acl(operation = AclOperation.DESCRIBE, resource = ResourceType.TOPIC)
        },
        note =
                "READ on the group (GROUP_AUTHORIZATION_FAILED) and DESCRIBE on every subscribed topic name (TOPIC_AUTHORIZATION_FAILED)")
@Component
class ConsumerGroupHeartbeatHandler extends SingleGroupRelayHandler {

    ConsumerGroupHeartbeatHandler(GroupRelay relay) {
        super(relay, ApiKeys.CONSUMER_GROUP_HEARTBEAT, AclOperation.READ);
    }

    @Override
    String groupId(AbstractRequest request) {
        return ((ConsumerGroupHeartbeatRequest) request).data().groupId();
    }

    /** As Kafka: a member may subscribe only to topics it may describe (regexes are not checked). */
    @Override
    void authorizeMore(DecodedRequest request, Authorizer authorizer) {
        List<String> topics =
                request.body(ConsumerGroupHeartbeatRequest.class).data().subscribedTopicNames();
        if (topics != null) {
            topics.forEach(topic -> authorizer.requireTopic(request, AclOperation.DESCRIBE, topic));
        }
    }
}
