package io.tributary.broker.txn;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.broker.txn.EndTxnDecision.Outcome;
import io.tributary.broker.txn.TransactionCoordinator.EndResult;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.Test;

/**
 * EndTxn's decisions on a transactional id's state, above all the transactions-V2 ends (EndTxn v5,
 * KIP-890 part 2) that bump the epoch: a retry whose answer was lost, the same retry reaching a
 * coordinator that loaded the state from {@code __transaction_state}, stale ends that must be
 * fenced, and the move to a new producer id when the epochs run out.
 */
class EndTxnDecisionTest {

    private static final long PRODUCER = 42;
    private static final long NEXT_PRODUCER = 77;
    private static final TopicPartition ORDERS = new TopicPartition("orders", 0);
    private static final short LAST_CLIENT_EPOCH = Short.MAX_VALUE - 1;
    private static final LongSupplier NO_NEW_ID = () -> {
        throw new AssertionError("no new producer id expected");
    };

    @Test
    void shouldBumpTheEpochWithAV2CommitAndAnswerARetryWithTheBumpedEpoch() {
        TransactionMetadata ongoing = ongoing((short) 5);

        Outcome commit = v2End(ongoing, (short) 5, true, NO_NEW_ID);
        TransactionMetadata complete = commit.prepared().completed(3_000);
        Outcome retry = v2End(complete, (short) 5, true, NO_NEW_ID);

        assertThat(commit.prepared().state()).isEqualTo(TransactionState.PREPARE_COMMIT);
        assertThat(commit.prepared().producerEpoch()).isEqualTo((short) 6); // the markers' epoch
        assertThat(commit.result()).isEqualTo(new EndResult(Errors.NONE, PRODUCER, (short) 6));
        assertThat(retry.prepared()).isNull();
        assertThat(retry.result()).isEqualTo(new EndResult(Errors.NONE, PRODUCER, (short) 6));
    }

    @Test
    void shouldAnswerARetryFromTheStateReloadedFromTheLogAfterAFailover() {
        Outcome abort = v2End(ongoing((short) 5), (short) 5, false, NO_NEW_ID);
        TransactionMetadata preparedReloaded = reload(abort.prepared());
        TransactionMetadata completeReloaded = reload(abort.prepared().completed(3_000));

        for (TransactionMetadata reloaded : new TransactionMetadata[] {preparedReloaded, completeReloaded}) {
            Outcome retry = v2End(reloaded, (short) 5, false, NO_NEW_ID);
            assertThat(retry.prepared()).isNull();
            assertThat(retry.result()).isEqualTo(new EndResult(Errors.NONE, PRODUCER, (short) 6));
        }
    }

    @Test
    void shouldFenceAStaleEndOnceTheProducerHasMovedOn() {
        TransactionMetadata committed =
                v2End(ongoing((short) 5), (short) 5, true, NO_NEW_ID).prepared().completed(3_000);
        // the producer went on at epoch 6 and ended its next transaction, bumping to 7
        TransactionMetadata next = v2End(committed.withPartitions(Set.of(ORDERS), 4_000), (short) 6, true, NO_NEW_ID)
                .prepared()
                .completed(5_000);

        assertThat(v2End(reload(next), (short) 5, true, NO_NEW_ID).result().error())
                .isEqualTo(Errors.PRODUCER_FENCED);
        // the other decision at the epoch before the bump is no retry either
        assertThat(v2End(committed, (short) 5, false, NO_NEW_ID).result().error())
                .isEqualTo(Errors.PRODUCER_FENCED);
        // nor is an end after the coordinator fenced the producer (a timeout, a new producer)
        TransactionMetadata fenced = ongoing((short) 5)
                .withEpoch(PRODUCER, (short) 6, 60_000, 3_000)
                .withState(TransactionState.PREPARE_ABORT, 3_000)
                .completed(4_000);
        assertThat(v2End(reload(fenced), (short) 5, false, NO_NEW_ID).result().error())
                .isEqualTo(Errors.PRODUCER_FENCED);
    }

    @Test
    void shouldGoOnWithANewProducerIdWhenTheEpochsRunOutAndRecogniseTheRetryOfThatEnd() {
        Outcome commit = v2End(ongoing(LAST_CLIENT_EPOCH), LAST_CLIENT_EPOCH, true, () -> NEXT_PRODUCER);
        TransactionMetadata prepared = commit.prepared();
        TransactionMetadata complete = reload(reload(prepared).completed(3_000));

        // the markers close the old producer's transaction, at the epoch no client may hold
        assertThat(prepared.producerId()).isEqualTo(PRODUCER);
        assertThat(prepared.producerEpoch()).isEqualTo(Short.MAX_VALUE);
        assertThat(commit.result()).isEqualTo(new EndResult(Errors.NONE, NEXT_PRODUCER, (short) 0));
        assertThat(complete.producerId()).isEqualTo(NEXT_PRODUCER);
        assertThat(complete.producerEpoch()).isZero();
        assertThat(complete.prevProducerId()).isEqualTo(PRODUCER);
        for (TransactionMetadata state : new TransactionMetadata[] {reload(prepared), complete}) {
            assertThat(v2End(state, LAST_CLIENT_EPOCH, true, NO_NEW_ID).result())
                    .isEqualTo(new EndResult(Errors.NONE, NEXT_PRODUCER, (short) 0));
        }
        // the new producer id ends its own transactions as usual
        Outcome nextEnd = EndTxnDecision.decide(
                complete.withPartitions(Set.of(ORDERS), 4_000), NEXT_PRODUCER, (short) 0, true, true, NO_NEW_ID, 5_000);
        assertThat(nextEnd.result()).isEqualTo(new EndResult(Errors.NONE, NEXT_PRODUCER, (short) 1));
    }

    @Test
    void shouldLetAV2ProducerAbortWithNoTransactionOpenAndBumpItsEpoch() {
        TransactionMetadata empty = state((short) 3, TransactionState.EMPTY, Set.of());

        Outcome abort = v2End(empty, (short) 3, false, NO_NEW_ID);

        assertThat(abort.prepared().state()).isEqualTo(TransactionState.PREPARE_ABORT);
        assertThat(abort.prepared().markerPartitions()).isEmpty();
        assertThat(abort.result()).isEqualTo(new EndResult(Errors.NONE, PRODUCER, (short) 4));
        assertThat(v2End(empty, (short) 3, true, NO_NEW_ID).result().error()).isEqualTo(Errors.INVALID_TXN_STATE);
    }

    @Test
    void shouldKeepTheEpochOfAV1EndAndAnswerItsRetryWithoutAProducerId() {
        Outcome commit = EndTxnDecision.decide(ongoing((short) 5), PRODUCER, (short) 5, true, false, NO_NEW_ID, 2_000);
        TransactionMetadata complete = commit.prepared().completed(3_000);

        assertThat(commit.prepared().producerEpoch()).isEqualTo((short) 5);
        assertThat(commit.result()).isEqualTo(EndResult.of(Errors.NONE));
        assertThat(EndTxnDecision.decide(complete, PRODUCER, (short) 5, true, false, NO_NEW_ID, 4_000)
                        .result())
                .isEqualTo(EndResult.of(Errors.NONE));
        assertThat(EndTxnDecision.decide(complete, PRODUCER, (short) 5, false, false, NO_NEW_ID, 4_000)
                        .result()
                        .error())
                .isEqualTo(Errors.INVALID_TXN_STATE);
    }

    @Test
    void shouldReadAStateRecordWrittenBeforeTheV2FieldsWithKafkasDefaults() {
        String json = "{\"producerId\":42,\"producerEpoch\":6,\"timeoutMs\":60000,\"state\":\"COMPLETE_COMMIT\","
                + "\"partitions\":{},\"startMs\":1,\"lastUpdateMs\":2,\"groups\":[]}";

        TransactionMetadata old = TransactionLog.stateOf("payments", json.getBytes(StandardCharsets.UTF_8));

        assertThat(old.producerEpoch()).isEqualTo((short) 6);
        assertThat(old.prevProducerId()).isEqualTo(RecordBatch.NO_PRODUCER_ID);
        assertThat(old.nextProducerId()).isEqualTo(RecordBatch.NO_PRODUCER_ID);
        assertThat(old.clientTransactionVersion()).isZero();
        // not known to be a V2 end: a retry at the epoch before is fenced, as Kafka's TV_0 state
        assertThat(v2End(old, (short) 5, true, NO_NEW_ID).result().error()).isEqualTo(Errors.PRODUCER_FENCED);
    }

    private static Outcome v2End(TransactionMetadata current, short epoch, boolean commit, LongSupplier newId) {
        return EndTxnDecision.decide(current, PRODUCER, epoch, commit, true, newId, 2_000);
    }

    /** The state as a coordinator reads it back from its record in {@code __transaction_state}. */
    private static TransactionMetadata reload(TransactionMetadata state) {
        return TransactionLog.stateOf(state.transactionalId(), TransactionLog.valueOf(state));
    }

    private static TransactionMetadata ongoing(short epoch) {
        return state(epoch, TransactionState.ONGOING, Set.of(ORDERS));
    }

    private static TransactionMetadata state(short epoch, TransactionState state, Set<TopicPartition> partitions) {
        return new TransactionMetadata("payments", PRODUCER, epoch, 60_000, state, partitions, Set.of(), 1_000, 1_000);
    }
}
