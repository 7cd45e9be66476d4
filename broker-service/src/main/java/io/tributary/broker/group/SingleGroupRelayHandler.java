package io.tributary.broker.group;

import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;

/**
 * A group API whose request names exactly one group: relayed whole to the group's owner.
 * Subclasses say which API and where the group id is.
 */
abstract class SingleGroupRelayHandler implements ApiHandler {

    private final GroupRelay relay;
    private final ApiKeys apiKey;

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
        return relay.relayForGroup(request, groupId(request.request()));
    }
}
