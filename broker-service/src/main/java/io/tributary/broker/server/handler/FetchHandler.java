package io.tributary.broker.server.handler;

import io.tributary.broker.authz.Authorization;
import io.tributary.broker.authz.Authorization.Acl;
import io.tributary.broker.cluster.ClusterMetadataCache;
import io.tributary.broker.cluster.ClusterSnapshot;
import io.tributary.broker.cluster.TopicMetadata;
import io.tributary.broker.fetch.FetchSession;
import io.tributary.broker.fetch.FetchSessionCache;
import io.tributary.broker.partition.DelayedOperation;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.ReplicaManager;
import io.tributary.broker.server.RequestHandlerPool;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.ErrorMapper;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.common.security.acl.Authorizer;
import io.tributary.storage.log.FetchDataInfo;
import io.tributary.storage.log.LogOffsetMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Fetch for consumers (read_uncommitted up to the high watermark, read_committed up to the last
 * stable offset with the aborted transactions of the range read) and followers (up to the log end, recording
 * their progress on the leader). Data goes out as slices of the segment files, sent without a
 * copy through the heap. An answer with less than {@code min.bytes} waits up to
 * {@code max.wait.ms} for appends. Fetch sessions (KIP-227, {@link FetchSessionContext}) let a
 * client name only the partitions that changed, and get back only those with something new.
 *
 * <p>Threading: a consumer's fetch is answered on the event loop (reads take no lock; a page fault
 * is the worst wait). A follower's fetch runs on the {@link RequestHandlerPool}, because recording
 * its progress takes locks that a slow append may hold.
 */
@Authorization(
        value = {
            @Acl(operation = AclOperation.READ, resource = ResourceType.TOPIC),
            @Acl(operation = AclOperation.CLUSTER_ACTION, resource = ResourceType.CLUSTER)
        },
        note =
                "A consumer needs READ on each topic (TOPIC_AUTHORIZATION_FAILED per partition); a follower (replica id >= 0) CLUSTER_ACTION on the cluster")
@Component
class FetchHandler implements ApiHandler {

    private static final ErrorMapper ERRORS = new ErrorMapper();

    private final ClusterMetadataCache cache;
    private final ReplicaManager replicaManager;
    private final RequestHandlerPool pool;
    private final FetchSessionCache sessions;

    private Authorizer authorizer = Authorizer.allowAll();

    /** The ACL checks; without it (handlers built in unit tests) everything is allowed. */
    @Autowired
    void authorizer(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    FetchHandler(
            ClusterMetadataCache cache,
            ReplicaManager replicaManager,
            RequestHandlerPool pool,
            FetchSessionCache sessions) {
        this.cache = cache;
        this.replicaManager = replicaManager;
        this.pool = pool;
        this.sessions = sessions;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.FETCH;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        FetchRequestData data = request.body(FetchRequest.class).data();
        if (FetchRequest.replicaId(data) < 0) {
            // a consumer's read takes no lock: the log is read up to a published end
            return fetch(data, topic -> authorizer.topicAuthorized(request, AclOperation.READ, topic));
        }
        authorizer.requireCluster(request, AclOperation.CLUSTER_ACTION); // only brokers may fetch as followers
        // a follower's progress moves the high watermark under the partition's and the log's
        // locks, which an append holds while it writes (and fsyncs): not for the event loop
        return pool.submit(() -> fetch(data, topic -> true)).thenCompose(answer -> answer);
    }

    /** @param readable whether the consumer may READ a topic; checked on every fetch, so a revoke applies to sessions */
    private CompletableFuture<HandlerResult> fetch(FetchRequestData data, Predicate<String> readable) {
        int replicaId = FetchRequest.replicaId(data);
        boolean fromFollower = replicaId >= 0;
        FetchSessionContext context = FetchSessionContext.of(data, fromFollower, sessions);
        if (context.error() != Errors.NONE) {
            return HandlerResult.completed(FetchResponse.of(context.errorResponse()));
        }
        ClusterSnapshot snapshot = cache.snapshot();
        List<PartitionFetch> fetches = new ArrayList<>();
        for (FetchSessionContext.Requested requested : context.partitions()) {
            FetchSession.Key key = requested.key();
            Optional<TopicMetadata> metadata = TopicIds.resolve(snapshot, key.topic(), key.topicId());
            boolean denied =
                    metadata.isPresent() && !readable.test(metadata.get().name());
            fetches.add(new PartitionFetch(key.topic(), key.topicId(), metadata, requested.request(), denied));
        }
        if (fromFollower) {
            recordFollowerProgress(replicaId, fetches);
        }
        boolean readCommitted = data.isolationLevel() == IsolationLevel.READ_COMMITTED.id();
        ReadResult first = read(fetches, data.maxBytes(), fromFollower, readCommitted);
        if (first.bytes() >= data.minBytes() || first.hasError() || data.maxWaitMs() <= 0 || fetches.isEmpty()) {
            return CompletableFuture.completedFuture(
                    HandlerResult.respond(FetchResponse.of(context.finish(first.response()))));
        }
        CompletableFuture<HandlerResult> result = new CompletableFuture<>();
        replicaManager.watchFetch(
                new DelayedFetch(fetches, first.starts(), data, fromFollower, readCommitted, context, result),
                data.maxWaitMs());
        return result;
    }

    private void recordFollowerProgress(int replicaId, List<PartitionFetch> fetches) {
        for (PartitionFetch fetch : fetches) {
            fetch.topicPartition()
                    .flatMap(replicaManager::localPartition)
                    .ifPresent(p -> p.updateFollowerFetchState(
                            replicaId, fetch.request().fetchOffset()));
        }
    }

    /** Reads every requested partition, within the request's overall {@code max.bytes}. */
    private ReadResult read(List<PartitionFetch> fetches, int maxBytes, boolean fromFollower, boolean readCommitted) {
        FetchResponseData response =
                new FetchResponseData().setErrorCode(Errors.NONE.code()).setSessionId(0);
        List<LogOffsetMetadata> starts = new ArrayList<>(fetches.size());
        int remaining = maxBytes;
        int total = 0;
        boolean error = false;
        FetchableTopicResponse current = null;
        for (PartitionFetch fetch : fetches) {
            if (current == null || !sameTopic(current, fetch)) {
                current =
                        new FetchableTopicResponse().setTopic(fetch.topicName()).setTopicId(fetch.topicId());
                response.responses().add(current);
            }
            PartitionRead read = readPartition(
                    fetch,
                    Math.min(remaining, fetch.request().partitionMaxBytes()),
                    total == 0,
                    fromFollower,
                    readCommitted);
            current.partitions().add(read.data());
            starts.add(read.start());
            error |= read.data().errorCode() != Errors.NONE.code();
            int size = read.data().records() == null ? 0 : read.data().records().sizeInBytes();
            total += size;
            remaining = Math.max(0, remaining - size);
        }
        return new ReadResult(response, starts, total, error);
    }

    private static boolean sameTopic(FetchableTopicResponse topic, PartitionFetch fetch) {
        return Objects.equals(topic.topic(), fetch.topicName()) && Objects.equals(topic.topicId(), fetch.topicId());
    }

    private PartitionRead readPartition(
            PartitionFetch fetch, int maxBytes, boolean minOneMessage, boolean fromFollower, boolean readCommitted) {
        FetchRequestData.FetchPartition request = fetch.request();
        PartitionData answer = new PartitionData()
                .setPartitionIndex(request.partition())
                .setHighWatermark(-1)
                .setLastStableOffset(-1)
                .setLogStartOffset(-1)
                .setRecords(MemoryRecords.EMPTY);
        if (fetch.denied()) {
            return new PartitionRead(answer.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()), null);
        }
        if (fetch.topic().isEmpty()) {
            boolean byId = fetch.topicName() == null || fetch.topicName().isEmpty();
            return new PartitionRead(
                    answer.setErrorCode((byId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION).code()),
                    null);
        }
        TopicMetadata topic = fetch.topic().get();
        Partition partition = null;
        try {
            partition = replicaManager.partition(
                    new TopicPartition(topic.name(), request.partition()),
                    request.partition() >= 0 && request.partition() < topic.partitionCount());
            FetchDataInfo info = partition.read(
                    request.fetchOffset(),
                    maxBytes,
                    fromFollower,
                    readCommitted,
                    minOneMessage,
                    Optional.of(request.currentLeaderEpoch()));
            answer.setHighWatermark(partition.highWatermark())
                    .setLastStableOffset(partition.lastStableOffset())
                    .setLogStartOffset(info.logStartOffset())
                    .setRecords(info.records());
            if (readCommitted) {
                answer.setAbortedTransactions(abortedTransactions(partition, request.fetchOffset(), info));
            }
            return new PartitionRead(answer, info.fetchOffsetMetadata());
        } catch (RuntimeException e) {
            Errors error = ERRORS.partitionError("Fetch of " + topic.name() + "-" + request.partition(), e);
            if (error == Errors.OFFSET_OUT_OF_RANGE && partition != null) {
                // as Kafka: the bounds let a client (or a follower behind the log start) restart
                // at once, without a ListOffsets round trip
                answer.setHighWatermark(partition.highWatermark())
                        .setLastStableOffset(partition.lastStableOffset())
                        .setLogStartOffset(partition.logStartOffset());
            }
            if (error == Errors.NOT_LEADER_OR_FOLLOWER || error == Errors.FENCED_LEADER_EPOCH) {
                // the cache's view now: a parked fetch answered because leadership moved must name
                // the new leader, not the one in the metadata of when the request arrived
                cache.snapshot()
                        .topic(topic.name())
                        .flatMap(current -> current.state(request.partition()))
                        .ifPresent(state -> answer.currentLeader()
                                .setLeaderId(state.leader())
                                .setLeaderEpoch(state.leaderEpoch()));
            }
            return new PartitionRead(answer.setErrorCode(error.code()), null);
        }
    }

    /**
     * The aborted transactions overlapping what was read, for the consumer to skip; as Kafka,
     * null when there are none.
     */
    private static List<FetchResponseData.AbortedTransaction> abortedTransactions(
            Partition partition, long fetchOffset, FetchDataInfo info) {
        long upperBound = fetchOffset;
        for (RecordBatch batch : info.records().batches()) {
            upperBound = batch.nextOffset();
        }
        if (upperBound == fetchOffset) {
            return null;
        }
        List<FetchResponseData.AbortedTransaction> aborted =
                partition.abortedTransactions(fetchOffset, upperBound).stream()
                        .map(txn -> new FetchResponseData.AbortedTransaction()
                                .setProducerId(txn.producerId())
                                .setFirstOffset(txn.firstOffset()))
                        .toList();
        return aborted.isEmpty() ? null : new ArrayList<>(aborted);
    }

    /** One requested partition. */
    private record PartitionFetch(
            String topicName,
            Uuid topicId,
            Optional<TopicMetadata> topic,
            FetchRequestData.FetchPartition request,
            boolean denied) {

        Optional<TopicPartition> topicPartition() {
            return topic.map(t -> new TopicPartition(t.name(), request.partition()));
        }
    }

    /** A partition's answer and where its read began ({@code null} after an error). */
    private record PartitionRead(PartitionData data, LogOffsetMetadata start) {}

    /**
     * A fetch that found less than {@code min.bytes}. Each append or high-watermark move on one of
     * its partitions counts the bytes that became readable since the first read by comparing
     * positions in the segment files, without reading the log (a fetch over many partitions is
     * checked on every append to any of them); the log is read again once, to answer. It
     * completes when enough bytes are there, on a role or epoch change, a truncation or a new
     * segment (answered at once rather than counted), or at {@code max.wait.ms}.
     */
    private final class DelayedFetch extends DelayedOperation {

        private final List<PartitionFetch> fetches;
        private final List<LogOffsetMetadata> starts;
        private final FetchRequestData data;
        private final boolean fromFollower;
        private final boolean readCommitted;
        private final FetchSessionContext context;
        private final CompletableFuture<HandlerResult> result;

        DelayedFetch(
                List<PartitionFetch> fetches,
                List<LogOffsetMetadata> starts,
                FetchRequestData data,
                boolean fromFollower,
                boolean readCommitted,
                FetchSessionContext context,
                CompletableFuture<HandlerResult> result) {
            super(fetches.stream().flatMap(f -> f.topicPartition().stream()).toList());
            this.fetches = fetches;
            this.starts = starts;
            this.data = data;
            this.fromFollower = fromFollower;
            this.readCommitted = readCommitted;
            this.context = context;
            this.result = result;
        }

        @Override
        public boolean tryComplete() {
            if (result.isDone()) {
                // the connection closed: nobody waits for this answer any more
                return forceComplete();
            }
            long bytes = 0;
            for (int i = 0; i < fetches.size(); i++) {
                OptionalLong available = availableBytes(fetches.get(i), starts.get(i));
                if (available.isEmpty()) {
                    return forceComplete();
                }
                bytes += available.getAsLong();
            }
            return bytes >= data.minBytes() && forceComplete();
        }

        /** Bytes readable from {@code start} now; empty when the fetch should be answered at once. */
        private OptionalLong availableBytes(PartitionFetch fetch, LogOffsetMetadata start) {
            Optional<Partition> partition = fetch.topicPartition().flatMap(replicaManager::localPartition);
            if (start == null || partition.isEmpty()) {
                return OptionalLong.empty();
            }
            LogOffsetMetadata end;
            try {
                end = partition
                        .get()
                        .readableEnd(
                                fromFollower,
                                readCommitted,
                                Optional.of(fetch.request().currentLeaderEpoch()));
            } catch (RuntimeException e) {
                return OptionalLong.empty(); // the read that answers reports the error
            }
            if (end.messageOffset() == start.messageOffset()) {
                return OptionalLong.of(0);
            }
            if (!end.onSameSegment(start)) {
                return OptionalLong.empty(); // a new segment, or the log truncated below the fetch offset
            }
            if (end.messageOffset() < start.messageOffset()) {
                return OptionalLong.of(0); // e.g. a new leader's high watermark still catching up
            }
            return OptionalLong.of(
                    Math.min(end.positionDiff(start), fetch.request().partitionMaxBytes()));
        }

        @Override
        protected void onComplete() {
            result.complete(HandlerResult.respond(FetchResponse.of(context.finish(
                    read(fetches, data.maxBytes(), fromFollower, readCommitted).response()))));
        }
    }

    private record ReadResult(
            FetchResponseData response, List<LogOffsetMetadata> starts, int bytes, boolean hasError) {}
}
