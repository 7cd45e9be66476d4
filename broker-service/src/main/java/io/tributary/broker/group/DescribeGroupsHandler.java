package io.tributary.broker.group;

import io.tributary.broker.authz.Authorization;
import io.tributary.broker.authz.Authorization.Acl;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.security.acl.Authorizer;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeGroupsRequest;
import org.apache.kafka.common.requests.DescribeGroupsResponse;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * DescribeGroups: the groups this broker coordinates are described by their owners (one request
 * per owning instance); the others are answered {@code NOT_COORDINATOR}.
 */
@Authorization(
        value = {@Acl(operation = AclOperation.DESCRIBE, resource = ResourceType.GROUP)},
        note = "DESCRIBE on each group, else GROUP_AUTHORIZATION_FAILED for it; authorizedOperations filled"
                + " when asked")
@Component
class DescribeGroupsHandler implements ApiHandler {

    private final GroupFanOut<DescribedGroup> fanOut;

    private Authorizer authorizer = Authorizer.allowAll();

    /** The ACL checks; without it (handlers built in unit tests) everything is allowed. */
    @Autowired
    void authorizer(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

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
                        request,
                        data.groups(),
                        group -> authorizer.groupAuthorized(request, AclOperation.DESCRIBE, group),
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
