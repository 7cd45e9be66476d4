package io.tributary.broker.group;

import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeGroupsRequest;
import org.apache.kafka.common.requests.DescribeGroupsResponse;
import org.springframework.stereotype.Component;

/**
 * DescribeGroups: the groups this broker coordinates are described by their owners (one request
 * per owning instance); the others are answered {@code NOT_COORDINATOR}.
 */
@Component
class DescribeGroupsHandler implements ApiHandler {

    private final GroupFanOut<DescribedGroup> fanOut;

    DescribeGroupsHandler(GroupRelay relay) {
        this.fanOut = new GroupFanOut<>(relay, DescribeGroupsHandler::error);
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_GROUPS;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        DescribeGroupsRequestData data =
                request.body(DescribeGroupsRequest.class).data();
        return fanOut.send(
                        data.groups(),
                        request.apiVersion(),
                        groups -> new DescribeGroupsRequest.Builder(new DescribeGroupsRequestData()
                                .setGroups(groups)
                                .setIncludeAuthorizedOperations(data.includeAuthorizedOperations())),
                        response -> ((DescribeGroupsResponse) response).data().groups())
                .thenApply(groups -> HandlerResult.respond(
                        new DescribeGroupsResponse(new DescribeGroupsResponseData().setGroups(groups))));
    }

    private static DescribedGroup error(String group, Errors error) {
        return new DescribedGroup()
                .setGroupId(group)
                .setErrorCode(error.code())
                .setGroupState("")
                .setProtocolType("")
                .setProtocolData("");
    }
}
