package io.tributary.broker.server.handler;

import io.tributary.broker.admin.MetadataServiceClient;
import io.tributary.broker.authz.Authorization;
import io.tributary.broker.authz.Authorization.Acl;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.security.acl.Authorizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.AlterConfigOp.OpType;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.IncrementalAlterConfigsRequest;
import org.apache.kafka.common.requests.IncrementalAlterConfigsResponse;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * IncrementalAlterConfigs for topics: SET and DELETE operations of one resource become one
 * {@code PATCH /api/topics/{name}/configs} to metadata-service (atomic per topic; validated
 * there, INVALID_CONFIG for an unknown name or bad value). APPEND and SUBTRACT (list configs)
 * are refused with INVALID_REQUEST: the only list config, {@code cleanup.policy}, has a single
 * allowed value today. Broker configs are static here (set at start), so altering one is
 * INVALID_REQUEST, as Kafka answers for a read-only config; other resource types too. A resource
 * named twice, or a config named twice in one resource, is INVALID_REQUEST.
 */
@Authorization(
        value = {
            @Acl(operation = AclOperation.ALTER_CONFIGS, resource = ResourceType.TOPIC),
            @Acl(operation = AclOperation.ALTER_CONFIGS, resource = ResourceType.CLUSTER)
        },
        note =
                "ALTER_CONFIGS on a topic (TOPIC_AUTHORIZATION_FAILED), on the cluster for a broker (CLUSTER_AUTHORIZATION_FAILED)")
@Component
class IncrementalAlterConfigsHandler implements ApiHandler {

    private final MetadataServiceClient metadataService;

    private Authorizer authorizer = Authorizer.allowAll();

    /** The ACL checks; without it (handlers built in unit tests) everything is allowed. */
    @Autowired
    void authorizer(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    IncrementalAlterConfigsHandler(MetadataServiceClient metadataService) {
        this.metadataService = metadataService;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.INCREMENTAL_ALTER_CONFIGS;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        IncrementalAlterConfigsRequestData data =
                request.body(IncrementalAlterConfigsRequest.class).data();
        Map<String, Integer> occurrences = new HashMap<>();
        data.resources().forEach(resource -> occurrences.merge(key(resource), 1, Integer::sum));
        List<CompletableFuture<AlterConfigsResourceResponse>> results = new ArrayList<>();
        for (AlterConfigsResource resource : data.resources()) {
            Errors denied = authorizer.configsError(
                    request, AclOperation.ALTER_CONFIGS, resource.resourceType(), resource.resourceName());
            if (occurrences.get(key(resource)) > 1) {
                results.add(done(resource, new ApiError(Errors.INVALID_REQUEST, "Duplicate resource in the request")));
            } else if (denied != Errors.NONE) {
                results.add(done(resource, new ApiError(denied, null)));
            } else {
                results.add(alter(request, resource, data.validateOnly()));
            }
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .thenApply(done -> {
                    IncrementalAlterConfigsResponseData response = new IncrementalAlterConfigsResponseData();
                    results.forEach(result -> response.responses().add(result.join()));
                    return HandlerResult.respond(new IncrementalAlterConfigsResponse(response));
                });
    }

    private CompletableFuture<AlterConfigsResourceResponse> alter(
            DecodedRequest request, AlterConfigsResource resource, boolean validateOnly) {
        ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
        if (type == ConfigResource.Type.BROKER) {
            return done(
                    resource,
                    new ApiError(
                            Errors.INVALID_REQUEST,
                            "Tributary broker configs are static: set them in the broker's configuration and restart it"));
        }
        if (type != ConfigResource.Type.TOPIC) {
            return done(
                    resource,
                    new ApiError(Errors.INVALID_REQUEST, "Tributary does not alter configs of resource type " + type));
        }
        Map<String, String> set = new LinkedHashMap<>();
        List<String> delete = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (AlterableConfig config : resource.configs()) {
            if (!names.add(config.name())) {
                return done(
                        resource,
                        new ApiError(Errors.INVALID_REQUEST, "Config " + config.name() + " appears more than once"));
            }
            OpType op;
            try {
                op = OpType.forId(config.configOperation());
            } catch (RuntimeException e) {
                op = null;
            }
            if (op == OpType.SET) {
                if (config.value() == null) {
                    return done(
                            resource,
                            new ApiError(Errors.INVALID_REQUEST, "Null value not supported for " + config.name()));
                }
                set.put(config.name(), config.value());
            } else if (op == OpType.DELETE) {
                delete.add(config.name());
            } else {
                return done(
                        resource,
                        new ApiError(
                                Errors.INVALID_REQUEST,
                                "Operation "
                                        + (op == null ? Byte.toString(config.configOperation()) : op.name())
                                        + " on " + config.name() + " is not supported; use SET or DELETE"));
            }
        }
        return metadataService
                .alterTopicConfigs(resource.resourceName(), set, delete, validateOnly, AdminErrors.DEFAULT_TIMEOUT)
                .handle((configs, failure) -> response(
                        resource,
                        failure == null
                                ? ApiError.NONE
                                : AdminErrors.of(request, "topic " + resource.resourceName(), failure)));
    }

    private static String key(AlterConfigsResource resource) {
        return resource.resourceType() + ":" + resource.resourceName();
    }

    private static CompletableFuture<AlterConfigsResourceResponse> done(AlterConfigsResource resource, ApiError error) {
        return CompletableFuture.completedFuture(response(resource, error));
    }

    private static AlterConfigsResourceResponse response(AlterConfigsResource resource, ApiError error) {
        return new AlterConfigsResourceResponse()
                .setResourceType(resource.resourceType())
                .setResourceName(resource.resourceName())
                .setErrorCode(error.error().code())
                .setErrorMessage(error.message());
    }
}
