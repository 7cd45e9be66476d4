package io.tributary.broker.replication;

import java.time.Duration;

/**
 * How a follower fetches from its leaders, with Kafka's names and defaults. Built from the
 * broker's properties; immutable.
 *
 * @param partitionMaxBytes {@code replica.fetch.max.bytes}: asked for per partition in one fetch
 * @param responseMaxBytes  {@code replica.fetch.response.max.bytes}: asked for across a whole fetch
 * @param maxWait           {@code replica.fetch.wait.max.ms}: how long the leader may hold the fetch
 * @param minBytes          {@code replica.fetch.min.bytes}: new bytes the fetch waits for
 * @param backoff           {@code replica.fetch.backoff.ms}: pause after a failed request to the leader
 * @param socketTimeout     {@code replica.socket.timeout.ms}: how long one request to the leader may take
 * @param numFetchers       {@code num.replica.fetchers}: fetcher threads per source broker
 */
public record ReplicaFetcherConfig(
        int partitionMaxBytes,
        int responseMaxBytes,
        Duration maxWait,
        int minBytes,
        Duration backoff,
        Duration socketTimeout,
        int numFetchers) {

    /**
     * Kafka's defaults: 1 MiB per partition, 10 MiB per fetch, 500 ms wait, 1 byte, 1 s backoff,
     * 30 s timeout, one fetcher per source broker.
     */
    public static final ReplicaFetcherConfig DEFAULTS = new ReplicaFetcherConfig(
            1024 * 1024, 10 * 1024 * 1024, Duration.ofMillis(500), 1, Duration.ofSeconds(1), Duration.ofSeconds(30));

    /** With one fetcher per source broker. */
    public ReplicaFetcherConfig(
            int partitionMaxBytes,
            int responseMaxBytes,
            Duration maxWait,
            int minBytes,
            Duration backoff,
            Duration socketTimeout) {
        this(partitionMaxBytes, responseMaxBytes, maxWait, minBytes, backoff, socketTimeout, 1);
    }

    /** The same settings with {@code numFetchers} fetchers per source broker. */
    public ReplicaFetcherConfig withNumFetchers(int numFetchers) {
        return new ReplicaFetcherConfig(
                partitionMaxBytes, responseMaxBytes, maxWait, minBytes, backoff, socketTimeout, numFetchers);
    }

    public ReplicaFetcherConfig {
        if (partitionMaxBytes <= 0 || responseMaxBytes <= 0 || minBytes < 0) {
            throw new IllegalArgumentException("replica.fetch.max.bytes (" + partitionMaxBytes
                    + ") and replica.fetch.response.max.bytes (" + responseMaxBytes
                    + ") must be positive, replica.fetch.min.bytes (" + minBytes + ") not negative");
        }
        if (numFetchers < 1) {
            throw new IllegalArgumentException("num.replica.fetchers must be at least 1: " + numFetchers);
        }
        if (maxWait.isNegative() || backoff.isNegative()) {
            throw new IllegalArgumentException("replica.fetch.wait.max.ms (" + maxWait
                    + ") and replica.fetch.backoff.ms (" + backoff + ") must not be negative");
        }
        if (socketTimeout.compareTo(maxWait) <= 0) {
            // the leader may hold the fetch for maxWait: a shorter timeout would fail every idle fetch
            throw new IllegalArgumentException("replica.socket.timeout.ms (" + socketTimeout
                    + ") must be longer than replica.fetch.wait.max.ms (" + maxWait + ")");
        }
    }
}
