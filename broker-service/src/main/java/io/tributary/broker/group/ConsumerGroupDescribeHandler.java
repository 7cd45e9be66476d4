package io.tributary.broker.group;

import io.tributary.broker.authz.Authorization;
import io.tributary.broker.authz.Authorization.Acl;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.security.acl.Authorizer;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ConsumerGroupDescribeRequest;
import org.apache.kafka.common.requests.ConsumerGroupDescribeResponse;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * ConsumerGroupDescribe (KIP-848): like DescribeGroups, the groups this broker coordinates are
 * described by their owners (one request per owning instance), the others are
 * {@code NOT_COORDINATOR}. A classic group is {@code GROUP_ID_NOT_FOUND}, from which the
 * AdminClient falls back to DescribeGroups.
 */
@Authorization(
        value = {
            @Acl(operation = AclOperation.DESCRIBE, resource = ResourceType.GROUP),
            @Acl(operation = AclOperation.DESCRIBE, resource = ResourceType.TOPIC)
        },
        note = "DESCRIBE on each group, else GROUP_AUTHORIZATION_FAILED for it; a group whose members'"
                + " assignment or target assignment names a topic without DESCRIBE is answered"
                + " TOPIC_AUTHORIZATION_FAILED without members, as Kafka does (topics checked by the"
                + " group-coordinator); authorizedOperations filled when asked")
@Component
class ConsumerGroupDescribeHandler implements ApiHandler {

    private final GroupFanOut<DescribedGroup> fanOut;

    private Authorizer authorizer = Authorizer.allowAll();

    /** The ACL checks; without it (handlers built in unit tests) everything is allowed. */
    @Autowired
    void authorizer(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    ConsumerGroupDescribeHandler(GroupRelay relay) {
        this.fanOut = new GroupFanOut<>(relay, ConsumerGroupDescribeHandler::error);
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CONSUMER_GROUP_DESCRIBE;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        ConsumerGroupDescribeRequestData data =
                request.body(ConsumerGroupDescribeRequest.class).data();
        return fanOut.send(
                        request,
                        data.groupIds(),
                        group -> authorizer.groupAuthorized(request, AclOperation.DESCRIBE, group),
                        groups -> new ConsumerGroupDescribeRequest.Builder(new ConsumerGroupDescribeRequestData()
                                .setGroupIds(groups)
                                .setIncludeAuthorizedOperations(data.includeAuthorizedOperations())),
                        response -> ((ConsumerGroupDescribeResponse) response)
                                .data()
                                .groups())
                .thenApply(groups -> HandlerResult.respond(
                        new ConsumerGroupDescribeResponse(new ConsumerGroupDescribeResponseData().setGroups(groups))));
    }

    private static DescribedGroup error(String group, Errors error) {
        return new DescribedGroup().setGroupId(group).setErrorCode(error.code());
    }
}
