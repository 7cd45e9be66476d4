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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.AlterClientQuotasRequestData;
import org.apache.kafka.common.message.AlterClientQuotasRequestData.EntryData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.requests.AlterClientQuotasRequest;
import org.apache.kafka.common.requests.AlterClientQuotasResponse;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.stereotype.Component;

/**
 * AlterClientQuotas ({@code Admin.alterClientQuotas}, {@code kafka-configs --alter --entity-type
 * users|clients --add-config producer_byte_rate=...}): sets and removes quota keys of user,
 * client-id and user+client-id entities (a {@code null} name is the default entity) in ZooKeeper
 * ({@link ClientQuotaStore}), from where every broker applies them. Per entry, as Kafka:
 * {@code INVALID_REQUEST} with a message for an entity type other than {@code user} and
 * {@code client-id} (Tributary has no {@code ip} quotas), a repeated type or key, an unknown key
 * (Tributary has no {@code controller_mutation_rate}), a value that is not positive or a byte rate
 * that is not whole. With {@code validate_only} nothing is written. The request needs
 * ALTER_CONFIGS on the cluster ({@code CLUSTER_AUTHORIZATION_FAILED}). The ZooKeeper writes run on
 * the request handler pool.
 */
@Authorization(
        value = {@Acl(operation = AclOperation.ALTER_CONFIGS, resource = ResourceType.CLUSTER)},
        note = "ALTER_CONFIGS on the cluster, else CLUSTER_AUTHORIZATION_FAILED for every entry")
@Component
class AlterClientQuotasHandler implements ApiHandler {

    private final ClientQuotaStore store;
    private final Authorizer authorizer;
    private final RequestHandlerPool pool;

    AlterClientQuotasHandler(ClientQuotaStore store, Authorizer authorizer, RequestHandlerPool pool) {
        this.store = store;
        this.authorizer = authorizer;
        this.pool = pool;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_CLIENT_QUOTAS;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        AlterClientQuotasRequestData data =
                request.body(AlterClientQuotasRequest.class).data();
        if (!authorizer.clusterAuthorized(request, AclOperation.ALTER_CONFIGS)) {
            Map<ClientQuotaEntity, ApiError> errors = new LinkedHashMap<>();
            data.entries()
                    .forEach(entry ->
                            errors.put(kafkaEntity(entry), new ApiError(Errors.CLUSTER_AUTHORIZATION_FAILED, null)));
            return HandlerResult.completed(AlterClientQuotasResponse.fromQuotaEntities(errors, 0));
        }
        return pool.submit(() -> {
            Map<ClientQuotaEntity, ApiError> results = new LinkedHashMap<>();
            for (EntryData entry : data.entries()) {
                results.put(kafkaEntity(entry), alter(entry, data.validateOnly()));
            }
            return HandlerResult.respond(AlterClientQuotasResponse.fromQuotaEntities(results, 0));
        });
    }

    private ApiError alter(EntryData entry, boolean validateOnly) {
        try {
            QuotaEntity entity = entity(entry);
            Map<String, Double> set = new HashMap<>();
            Set<String> remove = new HashSet<>();
            for (AlterClientQuotasRequestData.OpData op : entry.ops()) {
                QuotaType type = QuotaType.forKey(op.key())
                        .orElseThrow(
                                () -> new InvalidRequestException(
                                        "Unknown quota key " + op.key()
                                                + "; Tributary supports producer_byte_rate, consumer_byte_rate and request_percentage"));
                if (set.containsKey(op.key()) || remove.contains(op.key())) {
                    throw new InvalidRequestException("Quota key " + op.key() + " is altered twice");
                }
                if (op.remove()) {
                    remove.add(op.key());
                } else {
                    set.put(op.key(), validValue(type, op.value()));
                }
            }
            if (!validateOnly) {
                store.alter(entity, set, remove);
            }
            return ApiError.NONE;
        } catch (Exception e) {
            return ApiError.fromThrowable(e);
        }
    }

    private static double validValue(QuotaType type, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new InvalidRequestException("Quota " + type.key() + " must be positive, not " + value);
        }
        if (type.integral() && (value != Math.rint(value) || value > Long.MAX_VALUE)) {
            throw new InvalidRequestException("Quota " + type.key() + " must be a whole number of bytes, not " + value);
        }
        return value;
    }

    /** Our entity for the request's, or {@code InvalidRequestException} saying why there is none. */
    static QuotaEntity entity(EntryData entry) {
        String user = null;
        String clientId = null;
        Set<String> seen = new HashSet<>();
        for (AlterClientQuotasRequestData.EntityData component : entry.entity()) {
            String type = component.entityType();
            if (!seen.add(type)) {
                throw new InvalidRequestException("Entity type " + type + " appears twice");
            }
            String name = component.entityName() == null ? QuotaEntity.DEFAULT : component.entityName();
            if (type.equals(ClientQuotaEntity.USER)) {
                user = name;
            } else if (type.equals(ClientQuotaEntity.CLIENT_ID)) {
                clientId = name;
            } else {
                throw new InvalidRequestException(
                        "Unsupported entity type " + type + "; Tributary has quotas on user and client-id");
            }
        }
        if (user == null && clientId == null) {
            throw new InvalidRequestException("The entity is empty");
        }
        return new QuotaEntity(user, clientId);
    }

    /** The request's entity as the response names it (whatever its validity). */
    private static ClientQuotaEntity kafkaEntity(EntryData entry) {
        Map<String, String> components = new HashMap<>();
        entry.entity().forEach(component -> components.put(component.entityType(), component.entityName()));
        return new ClientQuotaEntity(components);
    }
}
