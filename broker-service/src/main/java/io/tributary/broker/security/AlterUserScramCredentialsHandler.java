package io.tributary.broker.security;

import io.tributary.broker.authz.Authorization;
import io.tributary.broker.authz.Authorization.Acl;
import io.tributary.broker.server.RequestHandlerPool;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.security.acl.Authorizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialDeletion;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialUpsertion;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData.AlterUserScramCredentialsResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterUserScramCredentialsRequest;
import org.apache.kafka.common.requests.AlterUserScramCredentialsResponse;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * AlterUserScramCredentials ({@code Admin.alterUserScramCredentials}, {@code kafka-configs
 * --alter --add-config 'SCRAM-SHA-512=[password=...]'}): the client sends the salted password
 * (never the password), from which the broker derives the stored and server keys and writes them
 * to ZooKeeper ({@link ScramCredentialStore}); every broker's cache sees the change.
 *
 * <p>Per user, as Kafka: a user named twice in one request (in deletions or upsertions) is
 * {@code DUPLICATE_RESOURCE}; an empty name, or iterations outside the mechanism's range
 * (4096-16384), {@code UNACCEPTABLE_CREDENTIAL}; an unknown mechanism
 * {@code UNSUPPORTED_SASL_MECHANISM}; deleting a credential that does not exist
 * {@code RESOURCE_NOT_FOUND}. A user's alterations are applied only if all of them are valid.
 * Needs ALTER on the cluster when the authorizer is on. The ZooKeeper writes run on the request
 * handler pool.
 */
@Authorization(
        value = {@Acl(operation = AclOperation.ALTER, resource = ResourceType.CLUSTER)},
        note = "ALTER on the cluster, else CLUSTER_AUTHORIZATION_FAILED for every user")
@Component
class AlterUserScramCredentialsHandler implements ApiHandler {

    private final ScramCredentialStore store;
    private final RequestHandlerPool pool;

    private Authorizer authorizer = Authorizer.allowAll();

    /** The ACL checks; without it (handlers built in unit tests) everything is allowed. */
    @Autowired
    void authorizer(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    AlterUserScramCredentialsHandler(ScramCredentialStore store, RequestHandlerPool pool) {
        this.store = store;
        this.pool = pool;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_USER_SCRAM_CREDENTIALS;
    }

    /** One validated change of one user. */
    private record Change(String user, ScramMechanism mechanism, ScramCredentialUpsertion upsertion) {}

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        AlterUserScramCredentialsRequestData data =
                request.body(AlterUserScramCredentialsRequest.class).data();
        authorizer.requireCluster(request, AclOperation.ALTER); // every user's answer is the refusal
        return pool.submit(() -> HandlerResult.respond(new AlterUserScramCredentialsResponse(alter(data))));
    }

    private AlterUserScramCredentialsResponseData alter(AlterUserScramCredentialsRequestData data) {
        Map<String, ApiError> errors = new HashMap<>();
        Map<String, List<Change>> changes = new LinkedHashMap<>();
        Map<String, Integer> mentions = new HashMap<>();
        data.deletions().forEach(d -> mentions.merge(d.name(), 1, Integer::sum));
        data.upsertions().forEach(u -> mentions.merge(u.name(), 1, Integer::sum));
        for (ScramCredentialDeletion deletion : data.deletions()) {
            validate(deletion.name(), deletion.mechanism(), null, mentions, errors, changes);
        }
        for (ScramCredentialUpsertion upsertion : data.upsertions()) {
            validate(upsertion.name(), upsertion.mechanism(), upsertion, mentions, errors, changes);
        }
        changes.forEach((user, list) -> {
            if (!errors.containsKey(user)) {
                errors.put(user, apply(list.get(0)));
            }
        });
        List<AlterUserScramCredentialsResult> results = new ArrayList<>();
        errors.forEach((user, error) -> results.add(new AlterUserScramCredentialsResult()
                .setUser(user)
                .setErrorCode(error.error().code())
                .setErrorMessage(error.message())));
        return new AlterUserScramCredentialsResponseData().setResults(results);
    }

    private static void validate(
            String user,
            byte mechanismType,
            ScramCredentialUpsertion upsertion,
            Map<String, Integer> mentions,
            Map<String, ApiError> errors,
            Map<String, List<Change>> changes) {
        ScramMechanism mechanism = mechanism(mechanismType);
        ApiError error = null;
        if (mentions.get(user) > 1) {
            error = new ApiError(
                    Errors.DUPLICATE_RESOURCE, "A user credential cannot be altered twice in the same request");
        } else if (user.isEmpty()) {
            error = new ApiError(Errors.UNACCEPTABLE_CREDENTIAL, "Username must not be empty");
        } else if (mechanism == null) {
            error = new ApiError(Errors.UNSUPPORTED_SASL_MECHANISM, "Unknown SCRAM mechanism " + mechanismType);
        } else if (upsertion != null && upsertion.iterations() < mechanism.minIterations()) {
            error = new ApiError(Errors.UNACCEPTABLE_CREDENTIAL, "Too few iterations");
        } else if (upsertion != null && upsertion.iterations() > mechanism.maxIterations()) {
            error = new ApiError(Errors.UNACCEPTABLE_CREDENTIAL, "Too many iterations");
        }
        if (error != null) {
            errors.putIfAbsent(user, error);
        } else {
            changes.computeIfAbsent(user, u -> new ArrayList<>()).add(new Change(user, mechanism, upsertion));
        }
    }

    private ApiError apply(Change change) {
        try {
            if (change.upsertion() == null) {
                return store.delete(change.user(), change.mechanism())
                        ? ApiError.NONE
                        : new ApiError(
                                Errors.RESOURCE_NOT_FOUND, "Attempt to delete a user credential that does not exist");
            }
            ScramCredentialUpsertion upsertion = change.upsertion();
            store.upsert(
                    change.user(),
                    change.mechanism(),
                    new ScramFormatter(change.mechanism())
                            .generateCredential(upsertion.salt(), upsertion.saltedPassword(), upsertion.iterations()));
            return ApiError.NONE;
        } catch (Exception e) {
            return ApiError.fromThrowable(e);
        }
    }

    static ScramMechanism mechanism(byte type) {
        for (ScramMechanism mechanism : ScramMechanism.values()) {
            if (mechanism.type() == type) {
                return mechanism;
            }
        }
        return null;
    }
}
