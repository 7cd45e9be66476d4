package io.tributary.broker.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The broker's identity, listener and broker-wide defaults (Kafka's names in brackets).
 *
 * @param id                       {@code broker.id}: unique among live brokers
 * @param host                     the host name advertised to clients and other brokers
 * @param listenHost               the interface the Kafka listener binds
 * @param kafkaPort                port of the Kafka-protocol listener (0 picks a free port)
 * @param rack                     {@code broker.rack}, or empty when racks are not used
 * @param registrationWait         how long to wait, at start, for a previous holder of this id to
 *                                 disappear (a broker killed moments ago keeps its znode until its
 *                                 ZooKeeper session expires); a holder still present then is live
 * @param logDirs                  {@code log.dirs}: where partition logs live
 * @param ioThreads                {@code num.network.threads}: Netty event loops serving clients
 * @param requestHandlerThreads    {@code num.io.threads}: threads doing the work that may block
 *                                 (appends and their fsyncs, a follower's fetch, DeleteRecords);
 *                                 a slow partition holds at most one of them. Kafka's default is 8;
 *                                 4 suits a small machine, since they mostly wait on the disk
 * @param socketRequestMaxBytes    {@code socket.request.max.bytes}: the largest request accepted
 * @param autoCreateTopicsEnable   {@code auto.create.topics.enable}: create unknown topics on Metadata
 * @param minInsyncReplicas        {@code min.insync.replicas} for topics that do not set it
 * @param logRetentionCheckInterval {@code log.retention.check.interval.ms}
 * @param replicaLagTimeMax        {@code replica.lag.time.max.ms}: a follower that has not caught up
 *                                 with the leader for this long leaves the ISR
 * @param replicaFetchMaxBytes     {@code replica.fetch.max.bytes}: how much a follower asks for per
 *                                 partition in one fetch (a larger first batch still comes whole)
 * @param replicaFetchResponseMaxBytes {@code replica.fetch.response.max.bytes}: how much a follower
 *                                 asks for across all partitions of one fetch
 * @param replicaFetchWaitMax      {@code replica.fetch.wait.max.ms}: how long the leader may hold a
 *                                 follower's fetch while less than {@code replicaFetchMinBytes} is new;
 *                                 keep it below {@code replicaLagTimeMax}
 * @param replicaFetchMinBytes     {@code replica.fetch.min.bytes}: how much new data a follower's
 *                                 fetch waits for before the leader answers it
 * @param replicaFetchBackoff      {@code replica.fetch.backoff.ms}: how long a follower waits before
 *                                 retrying after its fetch to a leader failed
 * @param replicaSocketTimeout     {@code replica.socket.timeout.ms}: how long a follower waits for the
 *                                 leader's answer (to connect, and to each request) before it gives up
 *                                 and retries; longer than {@code replicaFetchWaitMax}
 * @param maxIncrementalFetchSessionCacheSlots {@code max.incremental.fetch.session.cache.slots}: how
 *                                 many fetch sessions (KIP-227) the broker keeps for consumers and
 *                                 followers; 0 declines every session (every fetch is a full one)
 * @param numReplicaFetchers       {@code num.replica.fetchers}: fetcher threads per source broker;
 *                                 a broker's partitions are spread over them by hash
 * @param connectionsMaxIdle       {@code connections.max.idle.ms}: a client connection with no traffic
 *                                 and no request in progress for this long is closed, and so is one
 *                                 whose request has not arrived whole this long after its first byte
 * @param maxConnections           {@code max.connections}: open client connections; one beyond it is
 *                                 closed as soon as it is accepted
 * @param maxConnectionsPerIp      {@code max.connections.per.ip}: open client connections from one
 *                                 address; one beyond it is closed as soon as it is accepted
 * @param maxInFlightRequestsPerConnection requests of one connection awaiting their responses before
 *                                 the broker stops reading from it (Kafka reads one at a time)
 */
@Validated
@ConfigurationProperties("tributary.broker")
public record BrokerProperties(
        @Min(0) int id,
        @NotBlank @DefaultValue("localhost") String host,
        @NotBlank @DefaultValue("0.0.0.0") String listenHost,
        @Min(0) @Max(65535) @DefaultValue("9092") int kafkaPort,
        @DefaultValue("") String rack,
        @DefaultValue("10s") Duration registrationWait,
        @NotEmpty @DefaultValue("data/broker") List<String> logDirs,
        @Min(1) @DefaultValue("2") int ioThreads,
        @Min(1) @DefaultValue("4") int requestHandlerThreads,
        @DefaultValue("100MB") DataSize socketRequestMaxBytes,
        @DefaultValue("false") boolean autoCreateTopicsEnable,
        @Min(1) @DefaultValue("1") int minInsyncReplicas,
        @DefaultValue("5m") Duration logRetentionCheckInterval,
        @DefaultValue("30s") Duration replicaLagTimeMax,
        @DefaultValue("1MB") DataSize replicaFetchMaxBytes,
        @DefaultValue("10MB") DataSize replicaFetchResponseMaxBytes,
        @DefaultValue("500ms") Duration replicaFetchWaitMax,
        @DefaultValue("1B") DataSize replicaFetchMinBytes,
        @DefaultValue("1s") Duration replicaFetchBackoff,
        @DefaultValue("30s") Duration replicaSocketTimeout,
        @Min(0) @DefaultValue("1000") int maxIncrementalFetchSessionCacheSlots,
        @Min(1) @DefaultValue("1") int numReplicaFetchers,
        @DefaultValue("10m") Duration connectionsMaxIdle,
        @Min(1) @DefaultValue("2147483647") int maxConnections,
        @Min(1) @DefaultValue("2147483647") int maxConnectionsPerIp,
        @Min(1) @DefaultValue("32") int maxInFlightRequestsPerConnection) {

    public BrokerProperties {
        requireIntBytes("replica-fetch-max-bytes", replicaFetchMaxBytes, 1);
        requireIntBytes("replica-fetch-response-max-bytes", replicaFetchResponseMaxBytes, 1);
        requireIntBytes("replica-fetch-min-bytes", replicaFetchMinBytes, 0);
        if (replicaSocketTimeout.compareTo(replicaFetchWaitMax) <= 0) {
            // the leader may hold a fetch for the whole wait: a shorter timeout fails every idle fetch
            throw new IllegalArgumentException("tributary.broker.replica-socket-timeout (" + replicaSocketTimeout
                    + ") must be longer than tributary.broker.replica-fetch-wait-max (" + replicaFetchWaitMax + ")");
        }
        if (connectionsMaxIdle.isNegative() || connectionsMaxIdle.isZero()) {
            throw new IllegalArgumentException(
                    "tributary.broker.connections-max-idle (" + connectionsMaxIdle + ") must be positive");
        }
    }

    private static void requireIntBytes(String key, DataSize size, long min) {
        if (size.toBytes() < min || size.toBytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "tributary.broker." + key + " (" + size + ") must be between " + min + "B and 2GB");
        }
    }

    public String rackOrNull() {
        return rack.isBlank() ? null : rack;
    }
}
