package io.tributary.broker.txn;

import io.tributary.broker.authz.Authorization;
import io.tributary.broker.authz.Authorization.Acl;
import io.tributary.broker.server.RequestHandlerPool;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.security.acl.Authorizer;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ListTransactionsRequest;
import org.apache.kafka.common.requests.ListTransactionsResponse;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * ListTransactions: the ids this broker coordinates (the AdminClient asks every broker), filtered
 * by state, producer id, running time (v1) and a regular expression on the id (v2).
 */
@Authorization(
        value = {@Acl(operation = AclOperation.DESCRIBE, resource = ResourceType.TRANSACTIONAL_ID)},
        note = "Only the transactional ids with DESCRIBE are listed")
@Component
class ListTransactionsHandler implements ApiHandler {

    private static final Set<String> STATES = Arrays.stream(TransactionState.values())
            .map(TransactionState::kafkaName)
            .collect(Collectors.toSet());

    private final TransactionCoordinator coordinator;
    private final RequestHandlerPool pool;

    private Authorizer authorizer = Authorizer.allowAll();

    /** The ACL checks; without it (handlers built in unit tests) everything is allowed. */
    @Autowired
    void authorizer(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    ListTransactionsHandler(TransactionCoordinator coordinator, RequestHandlerPool pool) {
        this.coordinator = coordinator;
        this.pool = pool;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_TRANSACTIONS;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        ListTransactionsRequestData data =
                request.body(ListTransactionsRequest.class).data();
        ListTransactionsResponseData response = new ListTransactionsResponseData();
        Predicate<TransactionMetadata> filter;
        try {
            filter = filter(data, response);
        } catch (PatternSyntaxException e) {
            return HandlerResult.completed(
                    new ListTransactionsResponse(response.setErrorCode(Errors.INVALID_REGULAR_EXPRESSION.code())));
        }
        return pool.submit(() -> {
            coordinator.list().stream()
                    .filter(filter)
                    .filter(state -> authorizer.transactionalIdAuthorized(
                            request, AclOperation.DESCRIBE, state.transactionalId()))
                    .forEach(state -> response.transactionStates()
                            .add(new ListTransactionsResponseData.TransactionState()
                                    .setTransactionalId(state.transactionalId())
                                    .setProducerId(state.producerId())
                                    .setTransactionState(state.state().kafkaName())));
            return HandlerResult.respond(new ListTransactionsResponse(response));
        });
    }

    private static Predicate<TransactionMetadata> filter(
            ListTransactionsRequestData data, ListTransactionsResponseData response) {
        List<String> states = data.stateFilters();
        states.stream().filter(s -> !STATES.contains(s)).forEach(response.unknownStateFilters()::add);
        List<Long> producerIds = data.producerIdFilters();
        long minDurationMs = data.durationFilter();
        String regex = data.transactionalIdPattern();
        Pattern pattern = regex == null || regex.isEmpty() ? null : Pattern.compile(regex);
        long now = System.currentTimeMillis();
        return state -> (states.isEmpty() || states.contains(state.state().kafkaName()))
                && (producerIds.isEmpty() || producerIds.contains(state.producerId()))
                && (minDurationMs < 0
                        || (state.state() == TransactionState.ONGOING && now - state.startMs() >= minDurationMs))
                && (pattern == null || pattern.matcher(state.transactionalId()).matches());
    }
}
