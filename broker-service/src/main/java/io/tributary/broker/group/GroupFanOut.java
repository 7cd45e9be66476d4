package io.tributary.broker.group;

import io.tributary.common.protocol.DecodedRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;

/**
 * An API naming several groups (DescribeGroups, ConsumerGroupDescribe, DeleteGroups) on the broker:
 * a group this broker does not coordinate is answered {@code NOT_COORDINATOR}, one without a
 * reachable owner {@code COORDINATOR_NOT_AVAILABLE}; the rest go in one request per owning
 * coordinator instance, at the client's version and in an envelope with the client's principal
 * (the coordinator checks the groups again), and the per-group answers are put together.
 * Thread-safe.
 *
 * @param <G> one group's part of the answer
 */
final class GroupFanOut<G> {

    private final GroupRelay relay;
    private final BiFunction<String, Errors, G> error;

    /** @param error one group's answer for an error */
    GroupFanOut(GroupRelay relay, BiFunction<String, Errors, G> error) {
        this.relay = relay;
        this.error = error;
    }

    /**
     * @param client  the client's request, whose principal, address and version the parts carry
     * @param allowed whether the principal may do the API's operation on a group; the others are
     *                answered {@code GROUP_AUTHORIZATION_FAILED}, as in Kafka, before anything else
     * @param request builds the request for one owner's groups
     * @param answers the per-group answers in an owner's response
     */
    CompletableFuture<List<G>> send(
            DecodedRequest client,
            List<String> groupIds,
            Predicate<String> allowed,
            Function<List<String>, AbstractRequest.Builder<?>> request,
            Function<AbstractResponse, List<G>> answers) {
        GroupCoordinatorLocator locator = relay.locator();
        List<G> answered = new ArrayList<>();
        Map<Node, List<String>> byOwner = new LinkedHashMap<>();
        for (String group : groupIds) {
            if (!allowed.test(group)) {
                answered.add(error.apply(group, Errors.GROUP_AUTHORIZATION_FAILED));
            } else if (!locator.isLocal(group)) {
                answered.add(error.apply(group, Errors.NOT_COORDINATOR));
            } else {
                locator.owner(group)
                        .ifPresentOrElse(
                                owner -> byOwner.computeIfAbsent(owner, o -> new ArrayList<>())
                                        .add(group),
                                () -> answered.add(error.apply(group, Errors.COORDINATOR_NOT_AVAILABLE)));
            }
        }
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        byOwner.forEach((owner, groups) -> parts.add(relay.sendOnBehalf(client, owner, request.apply(groups))
                .handle((response, failure) -> {
                    synchronized (answered) {
                        if (failure == null) {
                            answered.addAll(answers.apply(response));
                        } else {
                            groups.forEach(g -> answered.add(error.apply(g, Errors.COORDINATOR_NOT_AVAILABLE)));
                        }
                    }
                    return null;
                })));
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(done -> {
            synchronized (answered) {
                return List.copyOf(answered);
            }
        });
    }
}
