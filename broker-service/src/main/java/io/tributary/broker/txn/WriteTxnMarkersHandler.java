package io.tributary.broker.txn;

import io.tributary.broker.authz.Authorization;
import io.tributary.broker.authz.Authorization.Acl;
import io.tributary.broker.cluster.ClusterMetadataCache;
import io.tributary.broker.cluster.TopicMetadata;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.ReplicaManager;
import io.tributary.broker.server.RequestHandlerPool;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.ErrorMapper;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.security.acl.Authorizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.TransactionResult;
import org.apache.kafka.common.requests.WriteTxnMarkersRequest;
import org.apache.kafka.common.requests.WriteTxnMarkersRequest.TxnMarkerEntry;
import org.apache.kafka.common.requests.WriteTxnMarkersResponse;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * WriteTxnMarkers, from a transaction coordinator to this partition leader: appends each
 * transaction's COMMIT or ABORT control batch in the current leader epoch and answers, per
 * partition, once the ISR has it (a marker only the leader had could be lost with it, leaving the
 * transaction open on the next leader).
 */
@Authorization(
        value = {@Acl(operation = AclOperation.CLUSTER_ACTION, resource = ResourceType.CLUSTER)},
        note = "CLUSTER_ACTION on the cluster (brokers and super users), else CLUSTER_AUTHORIZATION_FAILED")
@Component
class WriteTxnMarkersHandler implements ApiHandler {

    private static final ErrorMapper ERRORS = new ErrorMapper();
    private static final long REPLICATION_TIMEOUT_MS = 30_000;

    private final ClusterMetadataCache cache;
    private final ReplicaManager replicaManager;
    private final RequestHandlerPool pool;

    private Authorizer authorizer = Authorizer.allowAll();

    /** The ACL checks; without it (handlers built in unit tests) everything is allowed. */
    @Autowired
    void authorizer(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    WriteTxnMarkersHandler(ClusterMetadataCache cache, ReplicaManager replicaManager, RequestHandlerPool pool) {
        this.cache = cache;
        this.replicaManager = replicaManager;
        this.pool = pool;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.WRITE_TXN_MARKERS;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        // only brokers (and super users) write markers; answered by the request's error response
        authorizer.requireCluster(request, AclOperation.CLUSTER_ACTION);
        Map<Long, Map<TopicPartition, Errors>> errors = new ConcurrentHashMap<>();
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (TxnMarkerEntry marker : request.body(WriteTxnMarkersRequest.class).markers()) {
            Map<TopicPartition, Errors> markerErrors =
                    errors.computeIfAbsent(marker.producerId(), id -> new ConcurrentHashMap<>());
            for (TopicPartition tp : marker.partitions()) {
                writes.add(write(marker, tp).handle((ok, failure) -> {
                    markerErrors.put(
                            tp,
                            failure == null
                                    ? Errors.NONE
                                    : ERRORS.partitionError("Transaction marker on " + tp, failure));
                    return null;
                }));
            }
        }
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> HandlerResult.respond(new WriteTxnMarkersResponse(errors)));
    }

    private CompletableFuture<Void> write(TxnMarkerEntry marker, TopicPartition tp) {
        Optional<TopicMetadata> topic = cache.snapshot().topic(tp.topic());
        boolean exists = topic.isPresent()
                && tp.partition() >= 0
                && tp.partition() < topic.get().partitionCount();
        Partition partition;
        try {
            partition = replicaManager.partition(tp, exists);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        // in the partition's queue, so the marker lands after the produces that arrived before it
        return pool.submitInOrder(
                        tp,
                        () -> partition.appendTransactionMarker(
                                marker.producerId(),
                                marker.producerEpoch(),
                                marker.transactionResult() == TransactionResult.COMMIT,
                                marker.coordinatorEpoch()))
                .thenCompose(info -> HighWatermarkWait.until(
                        replicaManager, partition, info.lastOffset() + 1, REPLICATION_TIMEOUT_MS));
    }
}
