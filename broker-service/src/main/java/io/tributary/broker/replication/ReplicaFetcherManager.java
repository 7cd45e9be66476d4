package io.tributary.broker.replication;

import io.tributary.broker.cluster.ClusterMetadataCache;
import io.tributary.broker.partition.FollowerFetchController;
import io.tributary.broker.partition.Partition;
import io.tributary.common.protocol.client.KafkaProtocolClient;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The follower side of replication: one {@link ReplicaFetcher} thread per source broker,
 * shared by every partition this broker follows from that leader
 * ({@code num.replica.fetchers=1}). Thread-safe.
 */
public final class ReplicaFetcherManager implements FollowerFetchController {

    private final int localBrokerId;
    private final ClusterMetadataCache cache;
    private final KafkaProtocolClient client;
    private final ReplicaFetcherConfig config;
    private final Map<Integer, ReplicaFetcher> fetchers = new HashMap<>();
    private final Map<TopicPartition, Integer> sources = new HashMap<>();

    public ReplicaFetcherManager(int localBrokerId, ClusterMetadataCache cache, KafkaProtocolClient client) {
        this(localBrokerId, cache, client, ReplicaFetcherConfig.DEFAULTS);
    }

    /**
     * @param client the client the fetchers share; its request timeout should be
     *               {@link ReplicaFetcherConfig#socketTimeout()}
     */
    public ReplicaFetcherManager(
            int localBrokerId, ClusterMetadataCache cache, KafkaProtocolClient client, ReplicaFetcherConfig config) {
        this.localBrokerId = localBrokerId;
        this.cache = cache;
        this.client = client;
        this.config = config;
    }

    @Override
    public synchronized void follow(Partition partition, int leaderId, int leaderEpoch) {
        TopicPartition tp = partition.topicPartition();
        Integer current = sources.get(tp);
        if (current != null && current == leaderId && fetchers.get(leaderId).isFollowing(tp, leaderEpoch)) {
            return;
        }
        unfollow(tp);
        ReplicaFetcher fetcher = fetchers.computeIfAbsent(leaderId, id -> {
            ReplicaFetcher created = new ReplicaFetcher(localBrokerId, id, cache, client, config);
            created.start();
            return created;
        });
        fetcher.add(partition, leaderEpoch);
        sources.put(tp, leaderId);
    }

    @Override
    public synchronized void unfollow(TopicPartition tp) {
        Integer source = sources.remove(tp);
        if (source != null) {
            ReplicaFetcher fetcher = fetchers.get(source);
            fetcher.remove(tp);
            if (fetcher.isIdle()) {
                fetchers.remove(source).shutdown();
            }
        }
    }

    @Override
    public synchronized void close() {
        fetchers.values().forEach(ReplicaFetcher::shutdown);
        fetchers.clear();
        sources.clear();
        client.close();
    }
}
