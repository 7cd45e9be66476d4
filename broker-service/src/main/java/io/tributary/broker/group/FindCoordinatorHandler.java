package io.tributary.broker.group;

import io.tributary.broker.authz.Authorization;
import io.tributary.broker.authz.Authorization.Acl;
import io.tributary.broker.txn.TransactionCoordinator;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.security.acl.Authorizer;
import io.tributary.common.zk.BrokerRegistration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.FindCoordinatorResponseData.Coordinator;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * FindCoordinator for consumer groups: names the broker that relays the group's requests (a
 * broker, because the AdminClient accepts only coordinators that Metadata lists); for
 * transactional ids: the broker leading the id's {@code __transaction_state} partition. Share
 * coordinators do not exist in Tributary.
 */
@Authorization(
        value = {
            @Acl(operation = AclOperation.DESCRIBE, resource = ResourceType.GROUP),
            @Acl(operation = AclOperation.DESCRIBE, resource = ResourceType.TRANSACTIONAL_ID)
        },
        note =
                "DESCRIBE on the group (GROUP_AUTHORIZATION_FAILED) or on the transactional id (TRANSACTIONAL_ID_AUTHORIZATION_FAILED)")
@Component
class FindCoordinatorHandler implements ApiHandler {

    private final GroupCoordinatorLocator locator;
    private final TransactionCoordinator transactions;

    private Authorizer authorizer = Authorizer.allowAll();

    /** The ACL checks; without it (handlers built in unit tests) everything is allowed. */
    @Autowired
    void authorizer(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    FindCoordinatorHandler(GroupCoordinatorLocator locator, TransactionCoordinator transactions) {
        this.locator = locator;
        this.transactions = transactions;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.FIND_COORDINATOR;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        FindCoordinatorRequestData data =
                request.body(FindCoordinatorRequest.class).data();
        FindCoordinatorResponseData response = new FindCoordinatorResponseData();
        if (request.apiVersion() >= 4) {
            for (String key : data.coordinatorKeys()) {
                response.coordinators().add(find(request, data.keyType(), key));
            }
        } else {
            Coordinator found = find(request, data.keyType(), data.key());
            response.setErrorCode(found.errorCode())
                    .setErrorMessage(found.errorMessage())
                    .setNodeId(found.nodeId())
                    .setHost(found.host())
                    .setPort(found.port());
        }
        return HandlerResult.completed(new FindCoordinatorResponse(response));
    }

    private Coordinator find(DecodedRequest request, byte keyType, String key) {
        Coordinator coordinator =
                new Coordinator().setKey(key).setNodeId(-1).setHost("").setPort(-1);
        if (keyType == FindCoordinatorRequest.CoordinatorType.TRANSACTION.id()) {
            if (!authorizer.transactionalIdAuthorized(request, AclOperation.DESCRIBE, key)) {
                return refused(coordinator, Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
            }
            return findTransactionCoordinator(coordinator, key);
        }
        if (keyType == FindCoordinatorRequest.CoordinatorType.GROUP.id()
                && !authorizer.groupAuthorized(request, AclOperation.DESCRIBE, key)) {
            return refused(coordinator, Errors.GROUP_AUTHORIZATION_FAILED);
        }
        if (keyType != FindCoordinatorRequest.CoordinatorType.GROUP.id()) {
            return coordinator
                    .setErrorCode(Errors.INVALID_REQUEST.code())
                    .setErrorMessage("Tributary has group and transaction coordinators only");
        }
        if (key == null || key.isEmpty()) {
            return coordinator.setErrorCode(Errors.INVALID_GROUP_ID.code()).setErrorMessage("Empty group id");
        }
        List<?> instances = locator.allInstances();
        BrokerRegistration broker = locator.coordinatorBroker(key).orElse(null);
        if (broker == null || instances.isEmpty()) {
            return coordinator
                    .setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())
                    .setErrorMessage("No live broker or group-coordinator instance");
        }
        return found(coordinator, broker);
    }

    /** The leader of the id's {@code __transaction_state} partition; not available until the topic has one. */
    private Coordinator findTransactionCoordinator(Coordinator coordinator, String transactionalId) {
        if (transactionalId == null || transactionalId.isEmpty()) {
            return coordinator.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage("Empty transactional id");
        }
        return transactions
                .coordinatorFor(transactionalId)
                .map(broker -> found(coordinator, broker))
                .orElseGet(() -> coordinator
                        .setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())
                        .setErrorMessage("__transaction_state has no leader for this id yet"));
    }

    private static Coordinator refused(Coordinator coordinator, Errors error) {
        return coordinator.setErrorCode(error.code()).setErrorMessage(error.message());
    }

    private static Coordinator found(Coordinator coordinator, BrokerRegistration broker) {
        return coordinator
                .setNodeId(broker.id())
                .setHost(broker.host())
                .setPort(broker.kafkaPort())
                .setErrorCode(Errors.NONE.code());
    }
}
