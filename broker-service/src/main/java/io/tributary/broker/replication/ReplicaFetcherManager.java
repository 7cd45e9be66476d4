package io.tributary.broker.replication;

import io.tributary.broker.cluster.ClusterMetadataCache;
import io.tributary.broker.partition.FollowerFetchController;
import io.tributary.broker.partition.Partition;
import io.tributary.common.protocol.client.KafkaProtocolClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;

/**
 * The follower side of replication: {@code num.replica.fetchers} {@link ReplicaFetcher} threads
 * per source broker, each fetching its share of the partitions this broker follows from that
 * leader. A partition goes to fetcher {@code abs(31 * topic.hashCode() + partition) %
 * num.replica.fetchers}, as in Kafka's {@code AbstractFetcherManager}, so it stays on one
 * fetcher for as long as it follows one leader. A fetcher starts with its first partition and
 * stops with its last. Each fetcher has its own client, hence its own connection: the Kafka
 * protocol answers one connection's requests in order, so fetchers sharing one would wait for
 * each other's long polls.
 *
 * <p>Thread-safe.
 */
public final class ReplicaFetcherManager implements FollowerFetchController {

    /** A fetcher thread: its source broker and its index among that broker's fetchers. */
    private record FetcherId(int sourceBrokerId, int index) {}

    private final int localBrokerId;
    private final ClusterMetadataCache cache;
    private final Supplier<KafkaProtocolClient> clients;
    private final ReplicaFetcherConfig config;
    private final Map<FetcherId, ReplicaFetcher> fetchers = new HashMap<>();
    private final Map<TopicPartition, FetcherId> sources = new HashMap<>();

    public ReplicaFetcherManager(int localBrokerId, ClusterMetadataCache cache, Supplier<KafkaProtocolClient> clients) {
        this(localBrokerId, cache, clients, ReplicaFetcherConfig.DEFAULTS);
    }

    /**
     * @param clients makes the client of each fetcher thread (closed when the fetcher stops); its
     *                request timeout should be {@link ReplicaFetcherConfig#socketTimeout()}
     */
    public ReplicaFetcherManager(
            int localBrokerId,
            ClusterMetadataCache cache,
            Supplier<KafkaProtocolClient> clients,
            ReplicaFetcherConfig config) {
        this.localBrokerId = localBrokerId;
        this.cache = cache;
        this.clients = clients;
        this.config = config;
    }

    /** The fetcher (of {@code numFetchers} per source broker) that fetches {@code tp}. */
    static int fetcherIndex(TopicPartition tp, int numFetchers) {
        return Math.abs((31 * tp.topic().hashCode() + tp.partition()) % numFetchers);
    }

    @Override
    public synchronized void follow(Partition partition, int leaderId, int leaderEpoch) {
        TopicPartition tp = partition.topicPartition();
        FetcherId id = new FetcherId(leaderId, fetcherIndex(tp, config.numFetchers()));
        FetcherId current = sources.get(tp);
        if (id.equals(current) && fetchers.get(id).isFollowing(tp, leaderEpoch)) {
            return;
        }
        unfollow(tp);
        ReplicaFetcher fetcher = fetchers.computeIfAbsent(id, key -> {
            ReplicaFetcher created =
                    new ReplicaFetcher(localBrokerId, key.sourceBrokerId(), key.index(), cache, clients.get(), config);
            created.start();
            return created;
        });
        fetcher.add(partition, leaderEpoch);
        sources.put(tp, id);
    }

    @Override
    public synchronized void unfollow(TopicPartition tp) {
        FetcherId source = sources.remove(tp);
        if (source != null) {
            ReplicaFetcher fetcher = fetchers.get(source);
            fetcher.remove(tp);
            if (fetcher.isIdle()) {
                fetchers.remove(source).shutdown();
            }
        }
    }

    /** The partitions each running fetcher thread fetches, by thread name (for tests and monitoring). */
    public synchronized Map<String, List<TopicPartition>> assignments() {
        Map<String, List<TopicPartition>> assignments = new HashMap<>();
        fetchers.values().forEach(f -> assignments.put(f.name(), f.partitions()));
        return assignments;
    }

    @Override
    public synchronized void close() {
        fetchers.values().forEach(ReplicaFetcher::shutdown);
        fetchers.clear();
        sources.clear();
    }
}
