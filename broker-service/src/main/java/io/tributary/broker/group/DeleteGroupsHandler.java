package io.tributary.broker.group;

import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DeleteGroupsRequest;
import org.apache.kafka.common.requests.DeleteGroupsResponse;
import org.springframework.stereotype.Component;

/** DeleteGroups: each group this broker coordinates is deleted by its owner; others get {@code NOT_COORDINATOR}. */
@Component
class DeleteGroupsHandler implements ApiHandler {

    private final GroupRelay relay;

    DeleteGroupsHandler(GroupRelay relay) {
        this.relay = relay;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_GROUPS;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        DeleteGroupsRequestData data = request.body(DeleteGroupsRequest.class).data();
        GroupCoordinatorLocator locator = relay.locator();
        List<DeletableGroupResult> results = new ArrayList<>();
        Map<Node, List<String>> byOwner = new LinkedHashMap<>();
        for (String group : data.groupsNames()) {
            if (!locator.isLocal(group)) {
                results.add(result(group, Errors.NOT_COORDINATOR));
            } else {
                locator.owner(group)
                        .ifPresentOrElse(
                                owner -> byOwner.computeIfAbsent(owner, o -> new ArrayList<>())
                                        .add(group),
                                () -> results.add(result(group, Errors.COORDINATOR_NOT_AVAILABLE)));
            }
        }
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        byOwner.forEach((owner, groups) -> parts.add(relay.send(
                        owner,
                        new DeleteGroupsRequest.Builder(new DeleteGroupsRequestData().setGroupsNames(groups)),
                        request.apiVersion())
                .handle((response, failure) -> {
                    synchronized (results) {
                        if (failure == null) {
                            ((DeleteGroupsResponse) response)
                                    .data()
                                    .results()
                                    .forEach(r -> results.add(result(r.groupId(), Errors.forCode(r.errorCode()))));
                        } else {
                            groups.forEach(g -> results.add(result(g, Errors.COORDINATOR_NOT_AVAILABLE)));
                        }
                    }
                    return null;
                })));
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(done -> {
            DeleteGroupsResponseData response = new DeleteGroupsResponseData();
            synchronized (results) {
                results.forEach(response.results()::add);
            }
            return HandlerResult.respond(new DeleteGroupsResponse(response));
        });
    }

    private static DeletableGroupResult result(String group, Errors error) {
        return new DeletableGroupResult().setGroupId(group).setErrorCode(error.code());
    }
}
