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

    private final GroupRelay relay;

    DescribeGroupsHandler(GroupRelay relay) {
        this.relay = relay;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_GROUPS;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        DescribeGroupsRequestData data =
                request.body(DescribeGroupsRequest.class).data();
        GroupCoordinatorLocator locator = relay.locator();
        List<DescribedGroup> answered = new ArrayList<>();
        Map<Node, List<String>> byOwner = new LinkedHashMap<>();
        for (String group : data.groups()) {
            if (!locator.isLocal(group)) {
                answered.add(error(group, Errors.NOT_COORDINATOR));
            } else {
                locator.owner(group)
                        .ifPresentOrElse(
                                owner -> byOwner.computeIfAbsent(owner, o -> new ArrayList<>())
                                        .add(group),
                                () -> answered.add(error(group, Errors.COORDINATOR_NOT_AVAILABLE)));
            }
        }
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        byOwner.forEach((owner, groups) -> parts.add(relay.send(
                        owner,
                        new DescribeGroupsRequest.Builder(new DescribeGroupsRequestData()
                                .setGroups(groups)
                                .setIncludeAuthorizedOperations(data.includeAuthorizedOperations())),
                        request.apiVersion())
                .handle((response, failure) -> {
                    synchronized (answered) {
                        if (failure == null) {
                            answered.addAll(
                                    ((DescribeGroupsResponse) response).data().groups());
                        } else {
                            groups.forEach(g -> answered.add(error(g, Errors.COORDINATOR_NOT_AVAILABLE)));
                        }
                    }
                    return null;
                })));
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(done -> {
            DescribeGroupsResponseData response = new DescribeGroupsResponseData();
            synchronized (answered) {
                response.groups().addAll(answered);
            }
            return HandlerResult.respond(new DescribeGroupsResponse(response));
        });
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
