package io.tributary.broker.server.handler;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.tributary.broker.cluster.ClusterMetadataCache;
import io.tributary.broker.cluster.ClusterSnapshot;
import io.tributary.broker.cluster.TopicMetadata;
import io.tributary.broker.partition.DelayedOperation;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.ReplicaManager;
import io.tributary.common.protocol.ApiHandler;
import io.tributary.common.protocol.DecodedRequest;
import io.tributary.common.protocol.HandlerResult;
import io.tributary.storage.log.FetchDataInfo;

/**
 * Fetch for consumers (up to the high watermark) and followers (up to the log end, recording
 * their progress on the leader). Data goes out as slices of the segment files, sent without a
 * copy through the heap. An answer with less than {@code min.bytes} waits up to
 * {@code max.wait.ms} for appends. Fetch sessions are declined ({@code sessionId=0}), so every
 * answer lists every requested partition.
 */
@Component
class FetchHandler implements ApiHandler {

    private static final Logger log = LoggerFactory.getLogger(FetchHandler.class);

    private final ClusterMetadataCache cache;
    private final ReplicaManager replicaManager;

    FetchHandler(ClusterMetadataCache cache, ReplicaManager replicaManager) {
        this.cache = cache;
        this.replicaManager = replicaManager;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.FETCH;
    }

    @Override
    public CompletableFuture<HandlerResult> handle(DecodedRequest request) {
        FetchRequestData data = request.body(FetchRequest.class).data();
        int replicaId = FetchRequest.replicaId(data);
        ClusterSnapshot snapshot = cache.snapshot();
        List<PartitionFetch> fetches = new ArrayList<>();
        for (FetchRequestData.FetchTopic topic : data.topics()) {
            Optional<TopicMetadata> metadata = TopicIds.resolve(snapshot, topic.topic(), topic.topicId());
            for (FetchRequestData.FetchPartition partition : topic.partitions()) {
                fetches.add(new PartitionFetch(topic.topic(), topic.topicId(), metadata, partition));
            }
        }
        if (replicaId >= 0) {
            recordFollowerProgress(replicaId, fetches);
        }
        CompletableFuture<HandlerResult> result = new CompletableFuture<>();
        DelayedFetch fetch = new DelayedFetch(fetches, data, replicaId >= 0, result);
        replicaManager.watchFetch(fetch, data.maxWaitMs());
        return result;
    }

    private void recordFollowerProgress(int replicaId, List<PartitionFetch> fetches) {
        for (PartitionFetch fetch : fetches) {
            fetch.topicPartition().flatMap(replicaManager::localPartition)
                    .ifPresent(p -> p.updateFollowerFetchState(replicaId, fetch.request().fetchOffset()));
        }
    }

    /** One requested partition. */
    private record PartitionFetch(String topicName, Uuid topicId, Optional<TopicMetadata> topic,
            FetchRequestData.FetchPartition request) {

        Optional<TopicPartition> topicPartition() {
            return topic.map(t -> new TopicPartition(t.name(), request.partition()));
        }
    }

    /** Reads the partitions; completes when enough bytes are there, on an error, or at the timeout. */
    private final class DelayedFetch extends DelayedOperation {

        private final List<PartitionFetch> fetches;
        private final FetchRequestData data;
        private final boolean fromFollower;
        private final CompletableFuture<HandlerResult> result;
        /** The read that satisfied the fetch; null when the timeout completes it. */
        private volatile FetchResponseData satisfyingRead;

        DelayedFetch(List<PartitionFetch> fetches, FetchRequestData data, boolean fromFollower,
                CompletableFuture<HandlerResult> result) {
            super(fetches.stream().flatMap(f -> f.topicPartition().stream()).toList());
            this.fetches = fetches;
            this.data = data;
            this.fromFollower = fromFollower;
            this.result = result;
        }

        @Override
        public boolean tryComplete() {
            if (result.isDone()) {
                // the connection closed: nobody waits for this answer any more
                return forceComplete();
            }
            ReadResult read = read();
            if (read.bytes() >= data.minBytes() || read.hasError() || data.maxWaitMs() <= 0) {
                satisfyingRead = read.response();
                return forceComplete();
            }
            return false;
        }

        @Override
        protected void onComplete() {
            FetchResponseData response = satisfyingRead;
            if (response == null) {
                response = read().response();
            }
            result.complete(HandlerResult.respond(FetchResponse.of(response)));
        }

        private ReadResult read() {
            FetchResponseData response = new FetchResponseData().setErrorCode(Errors.NONE.code()).setSessionId(0);
            int remaining = data.maxBytes();
            int total = 0;
            boolean error = false;
            FetchableTopicResponse current = null;
            for (PartitionFetch fetch : fetches) {
                if (current == null || !sameTopic(current, fetch)) {
                    current = new FetchableTopicResponse().setTopic(fetch.topicName()).setTopicId(fetch.topicId());
                    response.responses().add(current);
                }
                PartitionData partitionData = readPartition(fetch, Math.min(remaining,
                        fetch.request().partitionMaxBytes()), total == 0);
                current.partitions().add(partitionData);
                if (partitionData.errorCode() != Errors.NONE.code()) {
                    error = true;
                }
                int size = partitionData.records() == null ? 0 : partitionData.records().sizeInBytes();
                total += size;
                remaining = Math.max(0, remaining - size);
            }
            return new ReadResult(response, total, error);
        }

        private boolean sameTopic(FetchableTopicResponse topic, PartitionFetch fetch) {
            return java.util.Objects.equals(topic.topic(), fetch.topicName())
                    && java.util.Objects.equals(topic.topicId(), fetch.topicId());
        }

        private PartitionData readPartition(PartitionFetch fetch, int maxBytes, boolean minOneMessage) {
            FetchRequestData.FetchPartition request = fetch.request();
            PartitionData answer = new PartitionData().setPartitionIndex(request.partition())
                    .setHighWatermark(-1).setLastStableOffset(-1).setLogStartOffset(-1)
                    .setRecords(MemoryRecords.EMPTY);
            if (fetch.topic().isEmpty()) {
                boolean byId = fetch.topicName() == null || fetch.topicName().isEmpty();
                return answer.setErrorCode((byId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION).code());
            }
            TopicMetadata topic = fetch.topic().get();
            try {
                Partition partition = replicaManager.partition(new TopicPartition(topic.name(), request.partition()),
                        request.partition() >= 0 && request.partition() < topic.partitionCount());
                Optional<Integer> epoch = Optional.of(request.currentLeaderEpoch());
                FetchDataInfo info = partition.read(request.fetchOffset(), maxBytes, fromFollower, minOneMessage, epoch);
                long highWatermark = partition.highWatermark();
                return answer.setHighWatermark(highWatermark).setLastStableOffset(highWatermark)
                        .setLogStartOffset(info.logStartOffset()).setRecords(info.records());
            } catch (RuntimeException e) {
                Errors error = Errors.forException(e);
                if (!(e instanceof ApiException)) {
                    log.error("Fetch of {}-{} failed", topic.name(), request.partition(), e);
                }
                if (error == Errors.NOT_LEADER_OR_FOLLOWER || error == Errors.FENCED_LEADER_EPOCH) {
                    topic.state(request.partition()).ifPresent(state -> answer.currentLeader()
                            .setLeaderId(state.leader()).setLeaderEpoch(state.leaderEpoch()));
                }
                return answer.setErrorCode(error.code());
            }
        }
    }

    private record ReadResult(FetchResponseData response, int bytes, boolean hasError) {
    }
}
