package io.tributary.broker.group;

import io.tributary.broker.authz.Authorizer;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A group API whose request names exactly one group: relayed whole to the group's owner.
 * Subclasses say which API and where the group id is.
 */
abstract class SingleGroupRelayHandler implements ApiHandler {

    private final GroupRelay relay;
    private final ApiKeys apiKey;

    private Authorizer authorizer = Authorizer.allowAll();

    /** The ACL checks; without it (handlers built in unit tests) everything is allowed. */
    @Autowired
    void authorizer(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    Authorizer authorizer() {
        return authorizer;
    }

    SingleGroupRelayHandler(GroupRelay relay, ApiKeys apiKey) {
        this.relay = relay;
        this.apiKey = apiKey;
    }

    abstract String groupId(AbstractRequest request);

    @Override
    public ApiKeys apiKey() {
        return apiKey;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        String groupId = groupId(request.request());
        // checked here before relaying; the group-coordinator does not check again (yet)
        if (!authorizer.authorized(request, AclOperation.READ, ResourceType.GROUP, groupId)) {
            return HandlerResult.completed(request.request()
                    .getErrorResponse(new GroupAuthorizationException("Not authorized to access group: " + groupId)));
        }
        return relay.relayForGroup(request, groupId);
    }
}
