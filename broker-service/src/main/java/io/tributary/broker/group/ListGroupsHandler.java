package io.tributary.broker.group;

import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ListGroupsRequest;
import org.apache.kafka.common.requests.ListGroupsResponse;
import org.springframework.stereotype.Component;

/**
 * ListGroups, which the AdminClient sends to every broker: this broker asks every
 * group-coordinator instance and lists only the groups it coordinates itself, so across the
 * brokers each group is listed exactly once.
 */
@Component
class ListGroupsHandler implements ApiHandler {

    private final GroupRelay relay;

    ListGroupsHandler(GroupRelay relay) {
        this.relay = relay;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_GROUPS;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        ListGroupsRequestData data = request.body(ListGroupsRequest.class).data();
        GroupCoordinatorLocator locator = relay.locator();
        List<ListedGroup> listed = new ArrayList<>();
        List<Errors> errors = new ArrayList<>();
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (Node instance : locator.allInstances()) {
            parts.add(relay.send(instance, new ListGroupsRequest.Builder(data.duplicate()), request.apiVersion())
                    .handle((response, failure) -> {
                        synchronized (listed) {
                            if (failure != null) {
                                errors.add(Errors.COORDINATOR_NOT_AVAILABLE);
                            } else {
                                ListGroupsResponseData answer = ((ListGroupsResponse) response).data();
                                if (answer.errorCode() != Errors.NONE.code()) {
                                    errors.add(Errors.forCode(answer.errorCode()));
                                }
                                answer.groups().stream()
                                        .filter(g -> locator.isLocal(g.groupId()))
                                        .forEach(listed::add);
                            }
                        }
                        return null;
                    }));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(done -> {
            ListGroupsResponseData response = new ListGroupsResponseData();
            synchronized (listed) {
                response.groups().addAll(listed);
                if (!errors.isEmpty()) {
                    response.setErrorCode(errors.get(0).code());
                }
            }
            return HandlerResult.respond(new ListGroupsResponse(response));
        });
    }
}
