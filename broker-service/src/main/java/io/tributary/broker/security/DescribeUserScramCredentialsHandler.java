package io.tributary.broker.security;

import io.tributary.broker.authz.Authorization;
import io.tributary.broker.authz.Authorization.Acl;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.security.acl.Authorizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData.UserName;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.CredentialInfo;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.DescribeUserScramCredentialsResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeUserScramCredentialsRequest;
import org.apache.kafka.common.requests.DescribeUserScramCredentialsResponse;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * DescribeUserScramCredentials: per user, the mechanisms and iterations of their credentials
 * (never salts or keys), from the broker's cache of ZooKeeper. No users named (null or empty):
 * every user. A named user without credentials is {@code RESOURCE_NOT_FOUND}, a user named twice
 * {@code DUPLICATE_RESOURCE}, as Kafka. Needs DESCRIBE on the cluster when the authorizer is on.
 */
@Authorization(
        value = {@Acl(operation = AclOperation.DESCRIBE, resource = ResourceType.CLUSTER)},
        note = "DESCRIBE on the cluster, else CLUSTER_AUTHORIZATION_FAILED")
@Component
class DescribeUserScramCredentialsHandler implements ApiHandler {

    private final ScramCredentialStore store;

    private Authorizer authorizer = Authorizer.allowAll();

    /** The ACL checks; without it (handlers built in unit tests) everything is allowed. */
    @Autowired
    void authorizer(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    DescribeUserScramCredentialsHandler(ScramCredentialStore store) {
        this.store = store;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        DescribeUserScramCredentialsRequestData data =
                request.body(DescribeUserScramCredentialsRequest.class).data();
        authorizer.requireCluster(request, AclOperation.DESCRIBE);
        Map<String, Map<ScramMechanism, Integer>> users = store.describe();
        List<DescribeUserScramCredentialsResult> results = new ArrayList<>();
        if (data.users() == null || data.users().isEmpty()) {
            users.forEach((user, credentials) -> results.add(result(user, credentials)));
        } else {
            Set<String> seen = new HashSet<>();
            Set<String> duplicates = new HashSet<>();
            data.users().forEach(u -> {
                if (!seen.add(u.name())) {
                    duplicates.add(u.name());
                }
            });
            Set<String> answered = new HashSet<>();
            for (UserName name : data.users()) {
                if (!answered.add(name.name())) {
                    continue;
                }
                if (duplicates.contains(name.name())) {
                    results.add(error(
                            name.name(),
                            Errors.DUPLICATE_RESOURCE,
                            "Cannot describe SCRAM credentials for the same user twice in a single request"));
                } else if (!users.containsKey(name.name())) {
                    results.add(error(
                            name.name(),
                            Errors.RESOURCE_NOT_FOUND,
                            "Attempt to describe a user credential that does not exist"));
                } else {
                    results.add(result(name.name(), users.get(name.name())));
                }
            }
        }
        return HandlerResult.completed(new DescribeUserScramCredentialsResponse(
                new DescribeUserScramCredentialsResponseData().setResults(results)));
    }

    private static DescribeUserScramCredentialsResult result(String user, Map<ScramMechanism, Integer> credentials) {
        List<CredentialInfo> infos = new ArrayList<>();
        credentials.forEach((mechanism, iterations) ->
                infos.add(new CredentialInfo().setMechanism(mechanism.type()).setIterations(iterations)));
        return new DescribeUserScramCredentialsResult().setUser(user).setCredentialInfos(infos);
    }

    private static DescribeUserScramCredentialsResult error(String user, Errors error, String message) {
        return new DescribeUserScramCredentialsResult()
                .setUser(user)
                .setErrorCode(error.code())
                .setErrorMessage(message);
    }
}
