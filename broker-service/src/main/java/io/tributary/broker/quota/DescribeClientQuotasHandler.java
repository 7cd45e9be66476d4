package io.tributary.broker.quota;

import io.tributary.broker.authz.Authorization;
import io.tributary.broker.authz.Authorization.Acl;
import io.tributary.broker.server.RequestHandlerPool;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.security.acl.Authorizer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData.ComponentData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.requests.DescribeClientQuotasRequest;
import org.apache.kafka.common.requests.DescribeClientQuotasResponse;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.stereotype.Component;

/**
 * DescribeClientQuotas ({@code Admin.describeClientQuotas}, {@code kafka-configs --describe
 * --entity-type users|clients}): the quotas of every entity the filter matches, read from
 * ZooKeeper itself so that a client sees its own alters at once. Kafka's filter: each component
 * names an entity type and an exact name, the default ({@code <default>}) or any specified (not
 * default) name; an entity matches when it has every component's type with a matching name and,
 * for a strict filter, no other type. An unsupported or repeated entity type fails the request with
 * {@code INVALID_REQUEST}. Needs DESCRIBE_CONFIGS on the cluster ({@code CLUSTER_AUTHORIZATION_FAILED}).
 */
@Authorization(
        value = {@Acl(operation = AclOperation.DESCRIBE_CONFIGS, resource = ResourceType.CLUSTER)},
        note = "DESCRIBE_CONFIGS on the cluster, else CLUSTER_AUTHORIZATION_FAILED")
@Component
class DescribeClientQuotasHandler implements ApiHandler {

    private final ClientQuotaStore store;
    private final Authorizer authorizer;
    private final RequestHandlerPool pool;

    DescribeClientQuotasHandler(ClientQuotaStore store, Authorizer authorizer, RequestHandlerPool pool) {
        this.store = store;
        this.authorizer = authorizer;
        this.pool = pool;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CLIENT_QUOTAS;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        DescribeClientQuotasRequestData data =
                request.body(DescribeClientQuotasRequest.class).data();
        if (!authorizer.clusterAuthorized(request, AclOperation.DESCRIBE_CONFIGS)) {
            return HandlerResult.completed(error(Errors.CLUSTER_AUTHORIZATION_FAILED, null));
        }
        String invalid = invalid(data.components());
        if (invalid != null) {
            return HandlerResult.completed(error(Errors.INVALID_REQUEST, invalid));
        }
        return pool.submit(() -> {
            try {
                return HandlerResult.respond(
                        DescribeClientQuotasResponse.fromQuotaEntities(matching(store.read(), data), 0));
            } catch (Exception e) {
                Errors error = Errors.forException(e);
                return HandlerResult.respond(error(error, e.getMessage()));
            }
        });
    }

    /** The quotas of the entities {@code filter} selects, keyed as the response names them. */
    static Map<ClientQuotaEntity, Map<String, Double>> matching(
            QuotaConfigs configs, DescribeClientQuotasRequestData filter) {
        Map<ClientQuotaEntity, Map<String, Double>> result = new HashMap<>();
        configs.entities().forEach((entity, values) -> {
            if (matches(entity, filter.components(), filter.strict())) {
                result.put(kafkaEntity(entity), values);
            }
        });
        return result;
    }

    private static boolean matches(QuotaEntity entity, List<ComponentData> components, boolean strict) {
        Set<String> types = new HashSet<>();
        for (ComponentData component : components) {
            types.add(component.entityType());
            String name = component.entityType().equals(ClientQuotaEntity.USER) ? entity.user() : entity.clientId();
            if (name == null) {
                return false;
            }
            boolean match = switch (component.matchType()) {
                case DescribeClientQuotasRequest.MATCH_TYPE_EXACT ->
                    Objects.equals(name, component.match() == null ? QuotaEntity.DEFAULT : component.match());
                case DescribeClientQuotasRequest.MATCH_TYPE_DEFAULT -> name.equals(QuotaEntity.DEFAULT);
                default -> !name.equals(QuotaEntity.DEFAULT);
            };
            if (!match) {
                return false;
            }
        }
        return !strict
                || ((entity.user() == null || types.contains(ClientQuotaEntity.USER))
                        && (entity.clientId() == null || types.contains(ClientQuotaEntity.CLIENT_ID)));
    }

    /** Why Kafka would refuse the filter, or {@code null}. */
    private static String invalid(List<ComponentData> components) {
        Set<String> types = new HashSet<>();
        for (ComponentData component : components) {
            String type = component.entityType();
            if (!type.equals(ClientQuotaEntity.USER) && !type.equals(ClientQuotaEntity.CLIENT_ID)) {
                return "Unsupported entity type " + type + "; Tributary has quotas on user and client-id";
            }
            if (!types.add(type)) {
                return "Entity type " + type + " appears twice in the filter";
            }
            byte matchType = component.matchType();
            if (matchType != DescribeClientQuotasRequest.MATCH_TYPE_EXACT
                    && matchType != DescribeClientQuotasRequest.MATCH_TYPE_DEFAULT
                    && matchType != DescribeClientQuotasRequest.MATCH_TYPE_SPECIFIED) {
                return "Unknown match type " + matchType;
            }
        }
        return null;
    }

    /** The entity as Kafka names it: a {@code null} name for a default. */
    private static ClientQuotaEntity kafkaEntity(QuotaEntity entity) {
        Map<String, String> components = new HashMap<>();
        if (entity.user() != null) {
            components.put(ClientQuotaEntity.USER, kafkaName(entity.user()));
        }
        if (entity.clientId() != null) {
            components.put(ClientQuotaEntity.CLIENT_ID, kafkaName(entity.clientId()));
        }
        return new ClientQuotaEntity(components);
    }

    private static String kafkaName(String name) {
        return name.equals(QuotaEntity.DEFAULT) ? null : name;
    }

    private static DescribeClientQuotasResponse error(Errors error, String message) {
        return new DescribeClientQuotasResponse(new DescribeClientQuotasResponseData()
                .setErrorCode(error.code())
                .setErrorMessage(message == null ? error.message() : message)
                .setEntries(new java.util.ArrayList<>()));
    }
}
