package io.tributary.broker.server.handler;

import io.tributary.broker.authz.Authorization;
import io.tributary.broker.authz.Authorization.Acl;
import io.tributary.broker.cluster.ClusterMetadataCache;
import io.tributary.broker.cluster.ClusterSnapshot;
import io.tributary.broker.cluster.TopicMetadata;
import io.tributary.broker.partition.DelayedOperation;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.ReplicaManager;
import io.tributary.broker.producer.TransactionVerifier;
import io.tributary.broker.server.RequestHandlerPool;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.ErrorMapper;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.security.acl.Authorizer;
import io.tributary.storage.log.LogAppendInfo;
import io.tributary.storage.log.RecordErrors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.BatchIndexAndErrorMessage;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Produce: appends each partition's batches on its leader (after CRC, size and idempotence
 * checks) and answers per partition. {@code acks=1} answers at once; {@code acks=all} waits
 * until the high watermark passes the append or the request's timeout
 * ({@code REQUEST_TIMED_OUT}); {@code acks=0} gets no answer, and a failure closes the
 * connection, which is the only way Kafka can tell such a producer.
 *
 * <p>Threading: the request is resolved on the event loop, and each partition's append is handed
 * to the {@link RequestHandlerPool} in that partition's queue, so a slow disk (or an fsync with
 * {@code flush.messages}) holds a handler thread, never the event loop, and appends to one
 * partition keep the order in which the requests arrived. The answer is built when the last
 * append is done. A transactional batch that may open its transaction on a partition is first
 * verified with the transaction coordinator ({@link VerifiedAppends}).
 */
@Authorization(
        value = {
            @Acl(operation = AclOperation.WRITE, resource = ResourceType.TRANSACTIONAL_ID),
            @Acl(operation = AclOperation.WRITE, resource = ResourceType.TOPIC)
        },
        note =
                "A transactional produce needs WRITE on its transactional id, else the whole request is TRANSACTIONAL_ID_AUTHORIZATION_FAILED; each topic needs WRITE, else its partitions are TOPIC_AUTHORIZATION_FAILED")
@Component
class ProduceHandler implements ApiHandler {

    private static final ErrorMapper ERRORS = new ErrorMapper();
    /** Produce v8 (KIP-467) added {@code record_errors} and {@code error_message}. */
    private static final short RECORD_ERRORS_MIN_VERSION = 8;

    private final ClusterMetadataCache cache;
    private final ReplicaManager replicaManager;
    private final RequestHandlerPool pool;

    private Authorizer authorizer = Authorizer.allowAll();
    private VerifiedAppends verifiedAppends;

    /** The ACL checks; without it (handlers built in unit tests) everything is allowed. */
    @Autowired
    void authorizer(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    /** Transaction verification (KIP-890 part 1); without it (handlers built in unit tests) none. */
    @Autowired
    void transactionVerifier(TransactionVerifier verifier) {
        this.verifiedAppends = new VerifiedAppends(pool, verifier);
    }

    ProduceHandler(ClusterMetadataCache cache, ReplicaManager replicaManager, RequestHandlerPool pool) {
        this.cache = cache;
        this.replicaManager = replicaManager;
        this.pool = pool;
        this.verifiedAppends = new VerifiedAppends(pool, TransactionVerifier.DISABLED);
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.PRODUCE;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        ProduceRequest produce = request.body(ProduceRequest.class);
        short acks = produce.acks();
        if (acks != -1 && acks != 0 && acks != 1) {
            return HandlerResult.completed(new ProduceResponse(invalidAcks(produce)));
        }
        if (produce.transactionalId() != null) {
            // the whole request fails, as in Kafka (the error path answers every partition)
            authorizer.requireTransactionalId(request, AclOperation.WRITE, produce.transactionalId());
        }
        ClusterSnapshot snapshot = cache.snapshot();
        List<PartitionAppend> appends = new ArrayList<>();
        ProduceResponseData response = new ProduceResponseData();
        boolean failed = false;
        for (ProduceRequestData.TopicProduceData topicData : produce.data().topicData()) {
            Optional<TopicMetadata> topic = TopicIds.resolve(snapshot, topicData.name(), topicData.topicId());
            TopicProduceResponse topicResponse =
                    new TopicProduceResponse().setName(topicData.name()).setTopicId(topicData.topicId());
            response.responses().add(topicResponse);
            for (ProduceRequestData.PartitionProduceData partitionData : topicData.partitionData()) {
                PartitionProduceResponse answer = new PartitionProduceResponse()
                        .setIndex(partitionData.index())
                        .setBaseOffset(-1)
                        .setLogAppendTimeMs(-1)
                        .setLogStartOffset(-1);
                topicResponse.partitionResponses().add(answer);
                try {
                    authorizer.requireTopic(
                            request,
                            AclOperation.WRITE,
                            topic.map(TopicMetadata::name).orElse(topicData.name()));
                    Partition partition = partitionFor(topic, topicData, partitionData.index());
                    MemoryRecords records = (MemoryRecords) partitionData.records();
                    // submitted now, on the event loop, so that appends keep the order of the requests
                    CompletableFuture<LogAppendInfo> append = verifiedAppends.submit(
                            partition, records, acks, produce.transactionalId(), request.apiVersion());
                    // the records are read in place from the network buffer: keep it until the append
                    // is done, even when the connection closes first
                    request.retainBuffer();
                    append.whenComplete((info, failure) -> request.releaseBuffer());
                    appends.add(new PartitionAppend(answer, partition, topic, append));
                } catch (RuntimeException e) {
                    failed = true;
                    fail(answer, e, topic, partitionData.index(), request);
                }
            }
        }
        boolean resolveFailed = failed;
        return CompletableFuture.allOf(
                        appends.stream().map(PartitionAppend::append).toArray(CompletableFuture[]::new))
                .handle((ignored, failure) -> respond(request, produce, response, appends, resolveFailed))
                .thenCompose(result -> result);
    }

    /** As Kafka: acks other than -1, 0 and 1 fail every partition, and nothing is appended. */
    private static ProduceResponseData invalidAcks(ProduceRequest produce) {
        ProduceResponseData response = new ProduceResponseData();
        for (ProduceRequestData.TopicProduceData topicData : produce.data().topicData()) {
            TopicProduceResponse topicResponse =
                    new TopicProduceResponse().setName(topicData.name()).setTopicId(topicData.topicId());
            for (ProduceRequestData.PartitionProduceData partitionData : topicData.partitionData()) {
                topicResponse
                        .partitionResponses()
                        .add(new PartitionProduceResponse()
                                .setIndex(partitionData.index())
                                .setErrorCode(Errors.INVALID_REQUIRED_ACKS.code())
                                .setBaseOffset(-1)
                                .setLogAppendTimeMs(-1)
                                .setLogStartOffset(-1));
            }
            response.responses().add(topicResponse);
        }
        return response;
    }

    /** Runs once every append is done (on the thread of the last one): the answer, or a parked produce. */
    private CompletableFuture<HandlerResult> respond(
            DecodedRequest request,
            ProduceRequest produce,
            ProduceResponseData response,
            List<PartitionAppend> appends,
            boolean failed) {
        short acks = produce.acks();
        Map<PartitionProduceResponse, Pending> pending = new LinkedHashMap<>();
        for (PartitionAppend append : appends) {
            PartitionProduceResponse answer = append.answer();
            try {
                LogAppendInfo info = append.append().join();
                answer.setBaseOffset(info.firstOffset()).setLogStartOffset(info.logStartOffset());
                pending.put(answer, new Pending(append.partition(), info.lastOffset() + 1));
            } catch (CompletionException | CancellationException e) {
                failed = true;
                fail(answer, e, append.topic(), answer.index(), request);
            }
        }
        if (acks == 0) {
            return CompletableFuture.completedFuture(
                    failed
                            ? HandlerResult.closeConnection("acks=0 produce failed on a partition")
                            : HandlerResult.noResponse());
        }
        if (acks != -1 || pending.isEmpty()) {
            return HandlerResult.completed(new ProduceResponse(response));
        }
        CompletableFuture<HandlerResult> result = new CompletableFuture<>();
        replicaManager.watchProduce(new DelayedProduce(pending, response, result), produce.timeout());
        return result;
    }

    /** One partition's answer and its append, running or done on the request handler pool. */
    private record PartitionAppend(
            PartitionProduceResponse answer,
            Partition partition,
            Optional<TopicMetadata> topic,
            CompletableFuture<LogAppendInfo> append) {}

    private Partition partitionFor(
            Optional<TopicMetadata> topic, ProduceRequestData.TopicProduceData topicData, int partitionIndex) {
        if (topic.isEmpty()) {
            throw topicData.name() == null || topicData.name().isEmpty()
                    ? new UnknownTopicIdException("Unknown topic id " + topicData.topicId())
                    : new UnknownTopicOrPartitionException("Unknown topic " + topicData.name());
        }
        if (partitionIndex < 0 || partitionIndex >= topic.get().partitionCount()) {
            throw new UnknownTopicOrPartitionException(
                    "Topic " + topic.get().name() + " has no partition " + partitionIndex);
        }
        return replicaManager.partition(new TopicPartition(topic.get().name(), partitionIndex), true);
    }

    private static void fail(
            PartitionProduceResponse answer,
            Throwable e,
            Optional<TopicMetadata> topic,
            int partitionIndex,
            DecodedRequest request) {
        Errors error = ERRORS.partitionError(
                "Produce to " + topic.map(TopicMetadata::name).orElse("?") + "-" + partitionIndex + " ("
                        + request.describe() + ")",
                e);
        answer.setErrorCode(error.code()).setErrorMessage(ErrorMapper.clientMessage(e));
        if (ErrorMapper.unwrap(e) instanceof RecordErrors invalid
                && request.apiVersion() >= RECORD_ERRORS_MIN_VERSION) {
            invalid.recordErrors()
                    .forEach(r -> answer.recordErrors()
                            .add(new BatchIndexAndErrorMessage()
                                    .setBatchIndex(r.batchIndex())
                                    .setBatchIndexErrorMessage(r.message())));
        }
        if (error == Errors.NOT_LEADER_OR_FOLLOWER && topic.isPresent()) {
            topic.get()
                    .state(partitionIndex)
                    .ifPresent(state ->
                            answer.currentLeader().setLeaderId(state.leader()).setLeaderEpoch(state.leaderEpoch()));
        }
    }

    /** A partition the request appended to, and the high watermark that acknowledges it. */
    private record Pending(Partition partition, long requiredHighWatermark) {}

    /** Waits for every appended partition's high watermark to reach its append. */
    private static final class DelayedProduce extends DelayedOperation {

        private final Map<PartitionProduceResponse, Pending> pending;
        private final ProduceResponseData response;
        private final CompletableFuture<HandlerResult> result;

        DelayedProduce(
                Map<PartitionProduceResponse, Pending> pending,
                ProduceResponseData response,
                CompletableFuture<HandlerResult> result) {
            super(keys(pending));
            this.pending = pending;
            this.response = response;
            this.result = result;
        }

        private static List<TopicPartition> keys(Map<PartitionProduceResponse, Pending> pending) {
            List<TopicPartition> keys = new ArrayList<>();
            pending.values().forEach(p -> keys.add(p.partition().topicPartition()));
            return keys;
        }

        @Override
        public boolean tryComplete() {
            for (Pending p : pending.values()) {
                if (p.partition().isLeader() && p.partition().highWatermark() < p.requiredHighWatermark()) {
                    return false;
                }
            }
            return forceComplete();
        }

        @Override
        protected void onComplete() {
            pending.forEach((answer, p) -> {
                if (p.partition().isOffline()) {
                    answer.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code())
                            .setBaseOffset(-1)
                            .setErrorMessage("The log directory went offline before the write was replicated");
                } else if (!p.partition().isLeader()) {
                    answer.setErrorCode(Errors.NOT_LEADER_OR_FOLLOWER.code())
                            .setBaseOffset(-1)
                            .setErrorMessage("Leadership moved before the write was replicated");
                } else if (p.partition().highWatermark() < p.requiredHighWatermark()) {
                    answer.setErrorCode(Errors.REQUEST_TIMED_OUT.code())
                            .setBaseOffset(-1)
                            .setErrorMessage("The write was not replicated to the ISR in time");
                }
            });
            result.complete(HandlerResult.respond(new ProduceResponse(response)));
        }
    }
}
