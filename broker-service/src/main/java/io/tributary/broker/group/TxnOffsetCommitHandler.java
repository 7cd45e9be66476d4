package io.tributary.broker.group;

import io.tributary.broker.authz.Authorization;
import io.tributary.broker.authz.Authorization.Acl;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.security.acl.Authorizer;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.TxnOffsetCommitRequest;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.stereotype.Component;

/**
 * TxnOffsetCommit (v0-4) from a transactional producer, relayed to the group's owning
 * group-coordinator instance, which keeps the offsets pending until the transaction's marker.
 * As Kafka, it needs READ on the group and WRITE on the transactional id (checked here and again
 * by the coordinator), and READ on each topic (checked by the coordinator).
 */
@Authorization(
        value = {
            @Acl(operation = AclOperation.READ, resource = ResourceType.GROUP),
            @Acl(operation = AclOperation.WRITE, resource = ResourceType.TRANSACTIONAL_ID),
            @Acl(operation = AclOperation.READ, resource = ResourceType.TOPIC)
        },
        note = "READ on the group (GROUP_AUTHORIZATION_FAILED) and WRITE on the transactional id"
                + " (TRANSACTIONAL_ID_AUTHORIZATION_FAILED); READ on each topic, else its partitions"
                + " TOPIC_AUTHORIZATION_FAILED (topics checked by the group-coordinator)")
@Component
class TxnOffsetCommitHandler extends SingleGroupRelayHandler {

    TxnOffsetCommitHandler(GroupRelay relay) {
        super(relay, ApiKeys.TXN_OFFSET_COMMIT, AclOperation.READ);
    }

    @Override
    public short maxVersion() {
        return 4; // v5 belongs to transactions V2 (KIP-890 part 2), not served
    }

    @Override
    String groupId(AbstractRequest request) {
        return ((TxnOffsetCommitRequest) request).data().groupId();
    }

    @Override
    void authorizeMore(DecodedRequest request, Authorizer authorizer) {
        authorizer.requireTransactionalId(
                request,
                AclOperation.WRITE,
                request.body(TxnOffsetCommitRequest.class).data().transactionalId());
    }
}
