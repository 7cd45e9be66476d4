package io.tributary.broker.group;

import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.security.acl.Authorizer;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A group API whose request names exactly one group: relayed whole to the group's owner.
 * Subclasses say which API and where the group id is.
 */
abstract class SingleGroupRelayHandler implements ApiHandler {

    private final GroupRelay relay;
    private final ApiKeys apiKey;
    private final AclOperation operation;

    private Authorizer authorizer = Authorizer.allowAll();

    /** The ACL checks; without it (handlers built in unit tests) everything is allowed. */
    @Autowired
    void authorizer(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    /** @param operation what the principal needs on the group, as Kafka checks it for this API */
    SingleGroupRelayHandler(GroupRelay relay, ApiKeys apiKey, AclOperation operation) {
        this.relay = relay;
        this.apiKey = apiKey;
        this.operation = operation;
    }

    abstract String groupId(AbstractRequest request);

    /**
     * The checks beyond the group's, made after it: none by default.
     *
     * @throws org.apache.kafka.common.errors.ApiException the refusal the request is answered with
     */
    void authorizeMore(DecodedRequest request, Authorizer authorizer) {}

    @Override
    public ApiKeys apiKey() {
        return apiKey;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        String groupId = groupId(request.request());
        // checked here before relaying (a refusal costs no round trip); the group-coordinator checks
        // again, with the topics, as the principal the envelope carries
        try {
            authorizer.requireGroup(request, operation, groupId);
            authorizeMore(request, authorizer);
        } catch (ApiException refused) {
            return HandlerResult.completed(request.request().getErrorResponse(refused));
        }
        return relay(request, groupId);
    }

    /** Relays the authorized request to the group's owner; a subclass may do more first. */
    CompletableFuture<HandlerResult> relay(DecodedRequest request, String groupId) {
        return relay.relayForGroup(request, groupId);
    }
}
