package io.tributary.broker.txn;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The transaction coordinator's settings (Kafka's names in brackets).
 *
 * @param maxTimeout              {@code transaction.max.timeout.ms}: the largest
 *                                {@code transaction.timeout.ms} a producer may ask for
 * @param idExpiration            {@code transactional.id.expiration.ms}: a transactional id with no
 *                                transaction open and no request for this long is forgotten
 * @param stateLogReplicationFactor {@code transaction.state.log.replication.factor}: replicas of
 *                                {@code __transaction_state}, capped by the live brokers at creation
 * @param stateLogNumPartitions   {@code transaction.state.log.num.partitions}: partitions of
 *                                {@code __transaction_state}; Kafka's 50 would be 150 replicas on a
 *                                3-broker cluster for little gain, so 5
 * @param stateLogMinIsr          {@code transaction.state.log.min.isr}: its {@code min.insync.replicas}
 *                                (capped by its replication factor)
 * @param abortTimedOutTransactionCleanupInterval
 *                                {@code transaction.abort.timed.out.transaction.cleanup.interval.ms}:
 *                                how often open transactions past their timeout are looked for and aborted
 * @param partitionVerificationEnable {@code transaction.partition.verification.enable}: a partition
 *                                leader asks the transaction coordinator before it appends the first
 *                                transactional batch of a transaction (KIP-890 part 1), and refuses
 *                                the batch when the partition is not in the open transaction
 * @param version                 {@code transaction.version} (the finalized feature level): 2 turns on
 *                                transactions V2 (KIP-890 part 2) for producers that support it, by
 *                                advertising {@code transaction.version}=2 in ApiVersions (the default,
 *                                as Kafka 4.x's); 1 advertises no feature and producers use transactions V1
 */
@Validated
@ConfigurationProperties("tributary.transaction")
public record TransactionProperties(
        @DefaultValue("15m") Duration maxTimeout,
        @DefaultValue("7d") Duration idExpiration,
        @Min(1) @DefaultValue("3") int stateLogReplicationFactor,
        @Min(1) @DefaultValue("5") int stateLogNumPartitions,
        @Min(1) @DefaultValue("2") int stateLogMinIsr,
        @DefaultValue("10s") Duration abortTimedOutTransactionCleanupInterval,
        @DefaultValue("true") boolean partitionVerificationEnable,
        @Min(1) @Max(2) @DefaultValue("2") short version) {

    /** Whether transactions V2 are advertised (and so used by the clients that support them). */
    public boolean v2() {
        return version >= 2;
    }
}
