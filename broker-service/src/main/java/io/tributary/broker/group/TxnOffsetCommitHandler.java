package io.tributary.broker.group;

import io.tributary.broker.authz.Authorization;
import io.tributary.broker.authz.Authorization.Acl;
import io.tributary.broker.producer.TransactionVerifier;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.security.acl.Authorizer;
import io.tributary.common.zk.GroupPartitionOwner;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.TxnOffsetCommitRequest;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * TxnOffsetCommit from a transactional producer, relayed to the group's owning
 * group-coordinator instance, which keeps the offsets pending until the transaction's marker.
 * v5 comes from transactions-V2 producers (KIP-890 part 2), which send no AddOffsetsToTxn: with
 * {@code tributary.transaction.version} 2 the group's offsets partition is first added to the
 * producer's transaction through its coordinator (as a partition leader adds a produce's
 * partition), so the transaction's end reaches the group.
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

    /** TxnOffsetCommit v5: from a transactions-V2 producer, which did not send AddOffsetsToTxn. */
    private static final short ADDS_GROUP_VERSION = 5;

    private TransactionVerifier verifier = TransactionVerifier.DISABLED;

    TxnOffsetCommitHandler(GroupRelay relay) {
        super(relay, ApiKeys.TXN_OFFSET_COMMIT, AclOperation.READ);
    }

    /** Adds the group to V2 transactions; without it (handlers built in unit tests) nothing is added. */
    @Autowired
    void transactionVerifier(TransactionVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public short maxVersion() {
        return ADDS_GROUP_VERSION;
    }

    @Override
    CompletableFuture<HandlerResult> relay(DecodedRequest request, String groupId) {
        if (request.apiVersion() < ADDS_GROUP_VERSION || !verifier.addsPartitions()) {
            return super.relay(request, groupId);
        }
        TxnOffsetCommitRequestData data =
                request.body(TxnOffsetCommitRequest.class).data();
        TopicPartition offsets = new TopicPartition(
                GroupPartitionOwner.TRANSACTION_MARKER_TOPIC, GroupPartitionOwner.partitionOf(groupId));
        return verifier.verify(data.transactionalId(), data.producerId(), data.producerEpoch(), offsets, true)
                .thenCompose(error -> error == Errors.NONE
                        ? super.relay(request, groupId)
                        : HandlerResult.completed(request.request()
                                .getErrorResponse(refusal(error).exception())));
    }

    /** A coordinator that could not answer is retried by the client as an unavailable group coordinator. */
    private static Errors refusal(Errors verdict) {
        return switch (verdict) {
            case CONCURRENT_TRANSACTIONS, NETWORK_EXCEPTION, COORDINATOR_LOAD_IN_PROGRESS, NOT_COORDINATOR ->
                Errors.COORDINATOR_NOT_AVAILABLE;
            default -> verdict;
        };
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
