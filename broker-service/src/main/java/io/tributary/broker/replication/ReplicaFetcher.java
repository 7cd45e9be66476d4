package io.tributary.broker.replication;

import io.tributary.broker.cluster.ClusterMetadataCache;
import io.tributary.broker.cluster.TopicMetadata;
import io.tributary.broker.partition.Partition;
import io.tributary.common.protocol.client.KafkaProtocolClient;
import io.tributary.common.zk.BrokerRegistration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.FetchSessionHandler;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.requests.ListOffsetsResponse;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;
import org.apache.kafka.common.utils.LogContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread fetching, as a follower, every partition this broker replicates from one leader.
 * Each partition starts (and restarts after a leader or epoch change) by asking the leader with
 * {@code OffsetsForLeaderEpoch} where its own latest epoch ends, and truncating there: records a
 * deposed leader appended that no one else got are dropped, never served. Then it sends
 * {@code Fetch} with this broker's replica id from its log end, appends what comes back with the
 * leader's offsets and epochs, and takes the leader's high watermark (bounded by its own end).
 * The fetches run in a fetch session (KIP-227, kafka-clients' {@link FetchSessionHandler}): after
 * the first, a fetch names only the partitions whose fetch position changed, and the leader
 * answers only those with something new.
 *
 * <p>Thread-safety: partitions are added and removed from other threads through a concurrent map;
 * everything else runs on the fetcher's thread.
 */
final class ReplicaFetcher {

    private static final Logger log = LoggerFactory.getLogger(ReplicaFetcher.class);

    /** What the fetcher knows of one partition. */
    private record FetchState(Partition partition, int leaderEpoch, boolean truncating) {}

    private final int localBrokerId;
    private final int sourceBrokerId;
    private final ClusterMetadataCache cache;
    private final KafkaProtocolClient client;
    private final ReplicaFetcherConfig config;
    private final Map<TopicPartition, FetchState> partitions = new ConcurrentHashMap<>();
    private final Thread thread;
    /** The fetch session with the leader (KIP-227): incremental fetches name changed partitions only. */
    private final FetchSessionHandler session;

    private volatile boolean running = true;
    private String lastProblem;
    private boolean partitionErrors;

    /**
     * @param index  which of the source broker's fetchers this is (0 with one fetcher per broker)
     * @param client this fetcher's own client, closed when it stops
     */
    ReplicaFetcher(
            int localBrokerId,
            int sourceBrokerId,
            int index,
            ClusterMetadataCache cache,
            KafkaProtocolClient client,
            ReplicaFetcherConfig config) {
        this.localBrokerId = localBrokerId;
        this.sourceBrokerId = sourceBrokerId;
        this.cache = cache;
        this.client = client;
        this.config = config;
        this.thread = new Thread(
                this::run,
                "replica-fetcher-" + localBrokerId + "-from-" + sourceBrokerId + (index == 0 ? "" : "-" + index));
        this.thread.setDaemon(true);
        this.session = new FetchSessionHandler(
                new LogContext("[ReplicaFetcher " + localBrokerId + " <- " + sourceBrokerId + "] "), sourceBrokerId);
    }

    void start() {
        thread.start();
    }

    void add(Partition partition, int leaderEpoch) {
        partitions.put(partition.topicPartition(), new FetchState(partition, leaderEpoch, true));
        log.info(
                "{}: following broker {} in epoch {} from offset {}",
                partition.topicPartition(),
                sourceBrokerId,
                leaderEpoch,
                partition.logEndOffset());
    }

    void remove(TopicPartition tp) {
        partitions.remove(tp);
    }

    boolean isFollowing(TopicPartition tp, int leaderEpoch) {
        FetchState state = partitions.get(tp);
        return state != null && state.leaderEpoch() == leaderEpoch;
    }

    boolean isIdle() {
        return partitions.isEmpty();
    }

    void shutdown() {
        running = false;
        thread.interrupt();
        client.close();
    }

    String name() {
        return thread.getName();
    }

    private void run() {
        while (running) {
            try {
                if (partitions.isEmpty()) {
                    Thread.sleep(100);
                    continue;
                }
                Optional<Node> leader = cache.snapshot().broker(sourceBrokerId).map(ReplicaFetcher::node);
                if (leader.isEmpty()) {
                    problem("broker " + sourceBrokerId + " is not registered");
                    Thread.sleep(config.backoff().toMillis());
                    continue;
                }
                truncateWhereNeeded(leader.get());
                fetchOnce(leader.get());
                lastProblem = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                problem(e.getClass().getSimpleName() + ": " + e.getMessage());
                sleepQuietly(config.backoff().toMillis());
            }
        }
    }

    // ---- truncation ----

    private void truncateWhereNeeded(Node leader) throws Exception {
        Map<TopicPartition, FetchState> pending = new LinkedHashMap<>();
        partitions.forEach((tp, state) -> {
            if (state.truncating()) {
                pending.put(tp, state);
            }
        });
        if (pending.isEmpty()) {
            return;
        }
        OffsetForLeaderTopicCollection topics = new OffsetForLeaderTopicCollection();
        Map<TopicPartition, Integer> askedEpochs = new LinkedHashMap<>();
        for (Map.Entry<TopicPartition, FetchState> entry : pending.entrySet()) {
            TopicPartition tp = entry.getKey();
            OptionalInt latest = entry.getValue().partition().latestEpoch();
            if (latest.isEmpty()) {
                // nothing was ever appended with an epoch: there is no history to diverge
                truncationDone(tp, entry.getValue());
                continue;
            }
            askedEpochs.put(tp, latest.getAsInt());
            OffsetForLeaderTopic topic = topics.find(tp.topic());
            if (topic == null) {
                topic = new OffsetForLeaderTopic().setTopic(tp.topic());
                topics.add(topic);
            }
            topic.partitions()
                    .add(new OffsetForLeaderPartition()
                            .setPartition(tp.partition())
                            .setCurrentLeaderEpoch(entry.getValue().leaderEpoch())
                            .setLeaderEpoch(latest.getAsInt()));
        }
        if (askedEpochs.isEmpty()) {
            return;
        }
        OffsetsForLeaderEpochResponse response;
        try {
            response = (OffsetsForLeaderEpochResponse)
                    await(client.send(leader, OffsetsForLeaderEpochRequest.Builder.forFollower(topics, localBrokerId)));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnsupportedVersionException) {
                // a leader without OffsetsForLeaderEpoch: fall back to the high watermark, as Kafka did
                askedEpochs.keySet().forEach(tp -> truncateToHighWatermark(tp, pending.get(tp)));
                return;
            }
            throw e;
        }
        for (OffsetForLeaderTopicResult topic : response.data().topics()) {
            for (EpochEndOffset result : topic.partitions()) {
                TopicPartition tp = new TopicPartition(topic.topic(), result.partition());
                FetchState state = pending.get(tp);
                if (state != null && askedEpochs.containsKey(tp)) {
                    applyEpochEndOffset(tp, state, result);
                }
            }
        }
    }

    private void applyEpochEndOffset(TopicPartition tp, FetchState state, EpochEndOffset result) {
        Errors error = Errors.forCode(result.errorCode());
        if (error != Errors.NONE) {
            problem(tp + ": OffsetsForLeaderEpoch answered " + error);
            return;
        }
        Partition partition = state.partition();
        if (result.leaderEpoch() == OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH
                || result.endOffset() == OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH_OFFSET) {
            truncateToHighWatermark(tp, state);
            return;
        }
        // The leader's end of the largest epoch <= ours; if it knows an older epoch only, our own
        // history may already have diverged at the end of that epoch (KIP-279).
        long target = Math.min(result.endOffset(), partition.logEndOffset());
        long ownEndOfThatEpoch =
                partition.endOffsetForEpoch(result.leaderEpoch()).endOffset();
        if (ownEndOfThatEpoch >= 0) {
            target = Math.min(target, ownEndOfThatEpoch);
        }
        partition.followerWrites().truncateTo(target);
        truncationDone(tp, state);
    }

    private void truncateToHighWatermark(TopicPartition tp, FetchState state) {
        state.partition().followerWrites().truncateTo(state.partition().highWatermark());
        truncationDone(tp, state);
    }

    private void truncationDone(TopicPartition tp, FetchState state) {
        partitions.replace(tp, state, new FetchState(state.partition(), state.leaderEpoch(), false));
    }

    // ---- fetching ----

    private void fetchOnce(Node leader) throws Exception {
        FetchSessionHandler.Builder builder = session.newBuilder();
        partitions.forEach((tp, state) -> {
            if (!state.truncating() && !state.partition().isLeader()) {
                Partition partition = state.partition();
                builder.add(
                        tp,
                        new FetchRequest.PartitionData(
                                partition.topicId(),
                                partition.logEndOffset(),
                                partition.logStartOffset(),
                                config.partitionMaxBytes(),
                                Optional.of(state.leaderEpoch()),
                                latestEpoch(partition)));
            }
        });
        FetchSessionHandler.FetchRequestData fetchData = builder.build();
        if (fetchData.sessionPartitions().isEmpty()) {
            Thread.sleep(50);
            return;
        }
        // topic ids from Fetch v13; a partition without one (never, from our metadata) needs v12
        short version = fetchData.canUseTopicIds() ? ApiKeys.FETCH.latestVersion(false) : (short) 12;
        FetchRequest.Builder request = FetchRequest.Builder.forReplica(
                        version,
                        localBrokerId,
                        -1,
                        (int) config.maxWait().toMillis(),
                        config.minBytes(),
                        fetchData.toSend())
                .removed(fetchData.toForget())
                .replaced(fetchData.toReplace())
                .metadata(fetchData.metadata())
                .setMaxBytes(config.responseMaxBytes());
        FetchResponse response;
        try {
            response = (FetchResponse) await(client.send(leader, request));
        } catch (Exception e) {
            session.handleError(e); // the next fetch is a full one, in a new session
            throw e;
        }
        partitionErrors = false;
        if (!session.handleResponse(response, version)) {
            // a session error (FETCH_SESSION_ID_NOT_FOUND, INVALID_FETCH_SESSION_EPOCH, the leader
            // evicted it): the handler has reset, so the next fetch is a full one
            partitionErrors = true;
            problem("fetch session with " + sourceBrokerId + " reset: " + response.error());
            if (response.error() != Errors.NONE) {
                return;
            }
        }
        for (FetchResponseData.FetchableTopicResponse topic : response.data().responses()) {
            String name = topicName(topic);
            for (FetchResponseData.PartitionData data : topic.partitions()) {
                TopicPartition tp = new TopicPartition(name, data.partitionIndex());
                FetchState state = partitions.get(tp);
                if (state != null && !state.truncating()) {
                    handlePartition(tp, state, data);
                }
            }
        }
        if (partitionErrors) {
            // errors come back at once, without the long poll: do not spin on a leader that moved
            Thread.sleep(100);
        }
    }

    private void handlePartition(TopicPartition tp, FetchState state, FetchResponseData.PartitionData data) {
        Partition partition = state.partition();
        Errors error = Errors.forCode(data.errorCode());
        switch (error) {
            case NONE -> {
                MemoryRecords records = (MemoryRecords) FetchResponse.recordsOrFail(data);
                if (records.sizeInBytes() > 0) {
                    partition.followerWrites().append(records);
                }
                partition.followerWrites().updateHighWatermark(data.highWatermark());
            }
            case OFFSET_OUT_OF_RANGE -> {
                long leaderLogStart = data.logStartOffset() >= 0 ? data.logStartOffset() : leaderLogStart(tp, state);
                if (partition.logEndOffset() < leaderLogStart) {
                    partition.followerWrites().truncateFullyAndStartAt(leaderLogStart);
                } else {
                    // our end is past the leader's: find the divergence again
                    partitions.replace(tp, state, new FetchState(partition, state.leaderEpoch(), true));
                }
            }
            // the controller moved leadership: the metadata change re-points this partition
            case NOT_LEADER_OR_FOLLOWER,
                    FENCED_LEADER_EPOCH,
                    UNKNOWN_LEADER_EPOCH,
                    UNKNOWN_TOPIC_OR_PARTITION,
                    UNKNOWN_TOPIC_ID -> {
                partitionErrors = true;
                problem(tp + ": leader " + sourceBrokerId + " answered " + error);
            }
            default -> {
                partitionErrors = true;
                problem(tp + ": fetch from " + sourceBrokerId + " failed with " + error);
            }
        }
    }

    /**
     * The leader's log start by {@code ListOffsets} (earliest), for a leader whose
     * {@code OFFSET_OUT_OF_RANGE} answer does not carry it; -1 when it cannot tell.
     */
    private long leaderLogStart(TopicPartition tp, FetchState state) {
        Optional<Node> leader = cache.snapshot().broker(sourceBrokerId).map(ReplicaFetcher::node);
        if (leader.isEmpty()) {
            return -1;
        }
        ListOffsetsRequestData.ListOffsetsTopic topic = new ListOffsetsRequestData.ListOffsetsTopic()
                .setName(tp.topic())
                .setPartitions(List.of(new ListOffsetsRequestData.ListOffsetsPartition()
                        .setPartitionIndex(tp.partition())
                        .setCurrentLeaderEpoch(state.leaderEpoch())
                        .setTimestamp(ListOffsetsRequest.EARLIEST_TIMESTAMP)));
        try {
            ListOffsetsResponse response = (ListOffsetsResponse) await(client.send(
                    leader.get(),
                    ListOffsetsRequest.Builder.forReplica(ApiKeys.LIST_OFFSETS.latestVersion(), localBrokerId)
                            .setTargetTimes(List.of(topic))));
            return response.data().topics().stream()
                    .flatMap(t -> t.partitions().stream())
                    .filter(p -> p.partitionIndex() == tp.partition() && p.errorCode() == Errors.NONE.code())
                    .mapToLong(ListOffsetsResponseData.ListOffsetsPartitionResponse::offset)
                    .findFirst()
                    .orElse(-1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (Exception e) {
            problem(tp + ": ListOffsets to " + sourceBrokerId + " failed: " + e.getMessage());
            return -1;
        }
    }

    private String topicName(FetchResponseData.FetchableTopicResponse topic) {
        if (topic.topic() != null && !topic.topic().isEmpty()) {
            return topic.topic();
        }
        Uuid id = topic.topicId();
        return cache.snapshot()
                .topic(new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits()))
                .map(TopicMetadata::name)
                .orElse("");
    }

    private static Optional<Integer> latestEpoch(Partition partition) {
        OptionalInt epoch = partition.latestEpoch();
        return epoch.isPresent() ? Optional.of(epoch.getAsInt()) : Optional.empty();
    }

    private AbstractResponse await(java.util.concurrent.CompletableFuture<AbstractResponse> future) throws Exception {
        return future.get(config.socketTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Node node(BrokerRegistration broker) {
        return new Node(broker.id(), broker.host(), broker.kafkaPort(), broker.rack());
    }

    /** Logs a problem once until it changes, so a dead leader does not flood the log. */
    private void problem(String description) {
        if (!description.equals(lastProblem)) {
            log.warn("Replica fetcher {} <- {}: {}", localBrokerId, sourceBrokerId, description);
            lastProblem = description;
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    List<TopicPartition> partitions() {
        return List.copyOf(partitions.keySet());
    }
}
