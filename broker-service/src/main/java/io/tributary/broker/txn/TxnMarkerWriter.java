package io.tributary.broker.txn;

import io.tributary.broker.cluster.ClusterMetadataCache;
import io.tributary.broker.cluster.ClusterSnapshot;
import io.tributary.common.protocol.client.KafkaProtocolClient;
import io.tributary.common.zk.BrokerRegistration;
import io.tributary.common.zk.GroupPartitionOwner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.TransactionResult;
import org.apache.kafka.common.requests.WriteTxnMarkersRequest;
import org.apache.kafka.common.requests.WriteTxnMarkersRequest.TxnMarkerEntry;
import org.apache.kafka.common.requests.WriteTxnMarkersResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a decided transaction's COMMIT or ABORT markers to the leader of each of its partitions
 * (Kafka's {@code TransactionMarkerChannelManager}, one WriteTxnMarkers per leader), and retries
 * the partitions that failed (a leader moving, a leader without its ISR) until every one has its
 * marker: once the coordinator has written PrepareCommit, the commit must happen. A partition of a
 * deleted topic needs no marker. A group's pseudo-partition {@code __consumer_offsets-p} gets its
 * marker from the group-coordinator instance serving group partition p ({@link GroupMarkerChannel}),
 * which then makes the transaction's offsets in the groups of p visible or drops them.
 */
final class TxnMarkerWriter {

    private static final Logger log = LoggerFactory.getLogger(TxnMarkerWriter.class);
    private static final long RETRY_BACKOFF_MS = 100;

    private final ClusterMetadataCache cache;
    private final KafkaProtocolClient client;
    private final ScheduledExecutorService scheduler;
    private final GroupMarkerChannel groups;

    TxnMarkerWriter(
            ClusterMetadataCache cache,
            KafkaProtocolClient client,
            ScheduledExecutorService scheduler,
            GroupMarkerChannel groups) {
        this.cache = cache;
        this.client = client;
        this.scheduler = scheduler;
        this.groups = groups;
    }

    /** Completes when every partition of {@code partitions} has the marker. */
    CompletableFuture<Void> write(
            long producerId,
            short producerEpoch,
            boolean commit,
            int coordinatorEpoch,
            Set<TopicPartition> partitions) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Marker marker = new Marker(producerId, producerEpoch, commit, coordinatorEpoch);
        attempt(marker, new HashSet<>(partitions), done);
        return done;
    }

    private record Marker(long producerId, short producerEpoch, boolean commit, int coordinatorEpoch) {

        TxnMarkerEntry entry(List<TopicPartition> partitions) {
            return new TxnMarkerEntry(
                    producerId,
                    producerEpoch,
                    coordinatorEpoch,
                    commit ? TransactionResult.COMMIT : TransactionResult.ABORT,
                    partitions);
        }
    }

    private void attempt(Marker marker, Set<TopicPartition> remaining, CompletableFuture<Void> done) {
        if (remaining.isEmpty()) {
            done.complete(null);
            return;
        }
        ClusterSnapshot snapshot = cache.snapshot();
        Map<Node, List<TopicPartition>> byLeader = new HashMap<>();
        Map<Node, List<TopicPartition>> byGroupOwner = new HashMap<>();
        Set<TopicPartition> retry = ConcurrentHashMap.newKeySet();
        for (TopicPartition tp : remaining) {
            if (tp.topic().equals(GroupPartitionOwner.TRANSACTION_MARKER_TOPIC)) {
                groups.ownerOf(tp.partition())
                        .ifPresentOrElse(
                                owner -> byGroupOwner
                                        .computeIfAbsent(owner, o -> new ArrayList<>())
                                        .add(tp),
                                () -> retry.add(tp));
                continue;
            }
            if (snapshot.topic(tp.topic()).isEmpty()) {
                continue; // deleted: nothing left to mark
            }
            Optional<BrokerRegistration> leader = snapshot.topic(tp.topic())
                    .flatMap(topic -> topic.state(tp.partition()))
                    .map(state -> state.leader())
                    .filter(snapshot::isLive)
                    .flatMap(snapshot::broker);
            if (leader.isPresent()) {
                BrokerRegistration broker = leader.get();
                byLeader.computeIfAbsent(
                                new Node(broker.id(), broker.host(), broker.kafkaPort()), b -> new ArrayList<>())
                        .add(tp);
            } else {
                retry.add(tp);
            }
        }
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        byLeader.forEach((node, partitions) ->
                sends.add(send(marker, node, partitions, retry, request -> client.send(node, request))));
        byGroupOwner.forEach((owner, partitions) ->
                sends.add(send(marker, owner, partitions, retry, request -> groups.send(owner, request))));
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).whenComplete((ignored, failure) -> {
            if (retry.isEmpty()) {
                done.complete(null);
            } else {
                scheduler.schedule(() -> attempt(marker, retry, done), RETRY_BACKOFF_MS, TimeUnit.MILLISECONDS);
            }
        });
    }

    private CompletableFuture<Void> send(
            Marker marker,
            Node target,
            List<TopicPartition> partitions,
            Set<TopicPartition> retry,
            Function<WriteTxnMarkersRequest.Builder, CompletableFuture<AbstractResponse>> channel) {
        WriteTxnMarkersRequest.Builder request = new WriteTxnMarkersRequest.Builder(List.of(marker.entry(partitions)));
        return channel.apply(request).handle((response, failure) -> {
            if (failure != null) {
                log.debug("WriteTxnMarkers to {} failed, will retry: {}", target, failure.toString());
                retry.addAll(partitions);
                return null;
            }
            Map<TopicPartition, Errors> errors = ((WriteTxnMarkersResponse) response)
                    .errorsByProducerId()
                    .getOrDefault(marker.producerId(), Map.of());
            for (TopicPartition tp : partitions) {
                Errors error = errors.getOrDefault(tp, Errors.UNKNOWN_SERVER_ERROR);
                if (error != Errors.NONE && error != Errors.UNKNOWN_TOPIC_OR_PARTITION) {
                    log.debug("Marker of producer {} on {} failed with {}, will retry", marker.producerId(), tp, error);
                    retry.add(tp);
                }
            }
            return null;
        });
    }
}
