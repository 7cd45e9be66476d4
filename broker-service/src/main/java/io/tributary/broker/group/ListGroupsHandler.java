package io.tributary.broker.group;

import io.tributary.broker.authz.Authorization;
import io.tributary.broker.authz.Authorization.Acl;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.security.acl.Authorizer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ListGroupsRequest;
import org.apache.kafka.common.requests.ListGroupsResponse;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * ListGroups, which the AdminClient sends to every broker: this broker asks every
 * group-coordinator instance and lists only the groups it coordinates itself, so across the
 * brokers each group is listed exactly once.
 */
@Authorization(
        value = {
            @Acl(operation = AclOperation.DESCRIBE, resource = ResourceType.CLUSTER),
            @Acl(operation = AclOperation.DESCRIBE, resource = ResourceType.GROUP)
        },
        note = "DESCRIBE on the cluster lists every group; without it only the groups with DESCRIBE are listed")
@Component
class ListGroupsHandler implements ApiHandler {

    private final GroupRelay relay;

    private Authorizer authorizer = Authorizer.allowAll();

    /** The ACL checks; without it (handlers built in unit tests) everything is allowed. */
    @Autowired
    void authorizer(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

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
        // as Kafka: DESCRIBE on the cluster lists every group, else only those the principal may describe
        boolean allGroups = authorizer.clusterAuthorized(request, AclOperation.DESCRIBE);
        List<ListedGroup> listed = new ArrayList<>();
        List<Errors> errors = new ArrayList<>();
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (Node instance : locator.allInstances()) {
            parts.add(relay.sendOnBehalf(request, instance, new ListGroupsRequest.Builder(data.duplicate()))
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
                                        .filter(g -> allGroups
                                                || authorizer.groupAuthorized(
                                                        request, AclOperation.DESCRIBE, g.groupId()))
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
