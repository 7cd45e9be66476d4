package io.tributary.broker.group;

import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import java.util.concurrent.CompletableFuture;
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

    private final GroupFanOut<DeletableGroupResult> fanOut;

    DeleteGroupsHandler(GroupRelay relay) {
        this.fanOut = new GroupFanOut<>(relay, DeleteGroupsHandler::result);
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_GROUPS;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        DeleteGroupsRequestData data = request.body(DeleteGroupsRequest.class).data();
        return fanOut.send(
                        data.groupsNames(),
                        request.apiVersion(),
                        groups -> new DeleteGroupsRequest.Builder(new DeleteGroupsRequestData().setGroupsNames(groups)),
                        response -> ((DeleteGroupsResponse) response)
                                .data().results().stream()
                                        .map(r -> result(r.groupId(), Errors.forCode(r.errorCode())))
                                        .toList())
                .thenApply(results -> {
                    DeleteGroupsResponseData response = new DeleteGroupsResponseData();
                    results.forEach(response.results()::add);
                    return HandlerResult.respond(new DeleteGroupsResponse(response));
                });
    }

    private static DeletableGroupResult result(String group, Errors error) {
        return new DeletableGroupResult().setGroupId(group).setErrorCode(error.code());
    }
}
