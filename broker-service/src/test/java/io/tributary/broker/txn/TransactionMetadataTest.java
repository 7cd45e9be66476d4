package io.tributary.broker.txn;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.common.zk.GroupPartitionOwner;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The transitions of one transactional id's state, as the coordinator applies them. */
class TransactionMetadataTest {

    private static final TopicPartition A = new TopicPartition("orders", 0);
    private static final TopicPartition B = new TopicPartition("orders", 1);

    private final TransactionMetadata empty = new TransactionMetadata(
            "payments", 42, (short) 3, 10_000, TransactionState.EMPTY, Set.of(), Set.of(), -1, 0);

    @Test
    void shouldStartATransactionWithItsFirstPartitionsAndKeepItsStartTimeWhenMoreAreAdded() {
        TransactionMetadata ongoing = empty.withPartitions(Set.of(A), 1_000);
        TransactionMetadata more = ongoing.withPartitions(Set.of(B), 5_000);

        assertThat(ongoing.state()).isEqualTo(TransactionState.ONGOING);
        assertThat(more.partitions()).containsExactlyInAnyOrder(A, B);
        assertThat(more.startMs()).isEqualTo(1_000);
        assertThat(more.lastUpdateMs()).isEqualTo(5_000);
    }

    @Test
    void shouldKeepThePartitionsWhilePreparingAndForgetThemWhenComplete() {
        TransactionMetadata prepared =
                empty.withPartitions(Set.of(A, B), 1_000).withState(TransactionState.PREPARE_COMMIT, 2_000);
        TransactionMetadata complete = prepared.withState(TransactionState.COMPLETE_COMMIT, 3_000);

        assertThat(prepared.partitions()).containsExactlyInAnyOrder(A, B);
        assertThat(prepared.state().isPreparing()).isTrue();
        assertThat(complete.partitions()).isEmpty();
        assertThat(complete.state().isIdle()).isTrue();
    }

    @Test
    void shouldStartTheNextTransactionAfreshAfterACompletedOne() {
        TransactionMetadata complete =
                empty.withPartitions(Set.of(A), 1_000).withState(TransactionState.COMPLETE_ABORT, 2_000);

        TransactionMetadata next = complete.withPartitions(Set.of(B), 9_000);

        assertThat(next.partitions()).containsExactly(B);
        assertThat(next.startMs()).isEqualTo(9_000);
    }

    @Test
    void shouldSendTheMarkersOfAGroupToItsGroupPartitionAndForgetTheGroupWhenComplete() {
        TransactionMetadata ongoing = empty.withPartitions(Set.of(A), 1_000).withGroup("etl", 2_000);
        TopicPartition groupPartition = new TopicPartition(
                GroupPartitionOwner.TRANSACTION_MARKER_TOPIC, GroupPartitionOwner.partitionOf("etl"));

        assertThat(ongoing.state()).isEqualTo(TransactionState.ONGOING);
        assertThat(ongoing.startMs()).isEqualTo(1_000);
        assertThat(ongoing.markerPartitions()).containsExactlyInAnyOrder(A, groupPartition);
        assertThat(ongoing.withPartitions(Set.of(B), 3_000).groups()).containsExactly("etl");
        assertThat(ongoing.withState(TransactionState.COMPLETE_COMMIT, 4_000).groups())
                .isEmpty();
    }

    @Test
    void shouldBeginATransactionWithAGroupAlone() {
        TransactionMetadata offsetsOnly = empty.withGroup("etl", 7_000);

        assertThat(offsetsOnly.state()).isEqualTo(TransactionState.ONGOING);
        assertThat(offsetsOnly.startMs()).isEqualTo(7_000);
        assertThat(offsetsOnly.partitions()).isEmpty();
    }

    @Test
    void shouldExpireOnlyAnOngoingTransactionPastItsTimeout() {
        TransactionMetadata ongoing = empty.withPartitions(Set.of(A), 1_000);

        assertThat(ongoing.hasExpired(11_000)).isFalse();
        assertThat(ongoing.hasExpired(11_001)).isTrue();
        assertThat(ongoing.withState(TransactionState.PREPARE_ABORT, 2_000).hasExpired(100_000))
                .isFalse();
        assertThat(empty.hasExpired(100_000)).isFalse();
    }

    @Test
    void shouldPlaceAnIdOnThePartitionKafkaWouldChoose() {
        // Kafka: Utils.abs(transactionalId.hashCode) % transaction.state.log.num.partitions
        assertThat(TransactionLog.partitionFor("payments", 50)).isEqualTo(Math.abs("payments".hashCode()) % 50);
        assertThat(TransactionLog.partitionFor("", 5)).isZero();
    }

    @Test
    void shouldNameTheStatesAsKafkaDescribesThem() {
        assertThat(TransactionState.PREPARE_COMMIT.kafkaName()).isEqualTo("PrepareCommit");
        assertThat(org.apache.kafka.clients.admin.TransactionState.parse(TransactionState.COMPLETE_ABORT.kafkaName()))
                .isEqualTo(org.apache.kafka.clients.admin.TransactionState.COMPLETE_ABORT);
    }
}
