package io.tributary.broker.txn;

import io.tributary.broker.cluster.TopicMetadata;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.producer.ProducerIdManager;
import io.tributary.common.zk.BrokerRegistration;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.NotCoordinatorException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transaction coordinator (Kafka's {@code TransactionCoordinator} with its state manager):
 * for the transactional ids whose {@code __transaction_state} partition this broker leads, it
 * hands out producer ids and epochs (fencing the previous producer of an id), records the
 * partitions of each transaction, and carries a commit or abort through PrepareCommit /
 * PrepareAbort, the markers on every partition, and CompleteCommit / CompleteAbort. Each
 * transition is written to {@link TransactionLog} before it is answered or acted on.
 *
 * <p>One transition per id at a time: while one is being written or its markers are in flight,
 * other requests for the id get {@code CONCURRENT_TRANSACTIONS}, which clients retry.
 *
 * <p>Threading: the public methods may block (loading a partition's state after a leader change)
 * and run on request handler threads; their futures complete on other threads.
 */
public class TransactionCoordinator {

    private static final Logger log = LoggerFactory.getLogger(TransactionCoordinator.class);

    /** The answer to InitProducerId. */
    public record InitResult(Errors error, long producerId, short producerEpoch) {
        static InitResult failed(Errors error) {
            return new InitResult(error, RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH);
        }
    }

    /**
     * The answer to EndTxn: the producer id and epoch to go on with (EndTxn v5), or -1 and -1
     * (before v5, or on error).
     */
    public record EndResult(Errors error, long producerId, short producerEpoch) {
        /** No producer id and epoch to hand back: an error, or an end before v5. */
        static EndResult of(Errors error) {
            return new EndResult(error, RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH);
        }

        /** Success of a V2 end: the producer id and epoch the producer goes on with after {@code state}. */
        static EndResult continuing(TransactionMetadata state) {
            return new EndResult(Errors.NONE, state.continuingProducerId(), state.continuingProducerEpoch());
        }
    }

    /** The state of one {@code __transaction_state} partition as this broker loaded it, for one leader epoch. */
    private record Shard(Partition partition, int leaderEpoch, Map<String, TransactionMetadata> states) {}

    private final TransactionLog txnLog;
    private final TxnMarkerWriter markers;
    private final ProducerIdManager producerIds;
    private final TransactionProperties properties;
    private final Clock clock;
    private final Map<Integer, Shard> shards = new ConcurrentHashMap<>();
    private final Set<String> busy = ConcurrentHashMap.newKeySet();

    TransactionCoordinator(
            TransactionLog txnLog,
            TxnMarkerWriter markers,
            ProducerIdManager producerIds,
            TransactionProperties properties,
            Clock clock) {
        this.txnLog = txnLog;
        this.markers = markers;
        this.producerIds = producerIds;
        this.properties = properties;
        this.clock = clock;
    }

    // ---- the client APIs ----

    /** FindCoordinator(TRANSACTION): the live broker leading the id's {@code __transaction_state} partition. */
    public Optional<BrokerRegistration> coordinatorFor(String transactionalId) {
        return txnLog.coordinatorFor(transactionalId);
    }

    public CompletableFuture<InitResult> initProducerId(
            String transactionalId, int timeoutMs, long producerId, short producerEpoch) {
        if (transactionalId.isEmpty()) {
            return CompletableFuture.completedFuture(InitResult.failed(Errors.INVALID_REQUEST));
        }
        if (timeoutMs <= 0 || timeoutMs > properties.maxTimeout().toMillis()) {
            return CompletableFuture.completedFuture(InitResult.failed(Errors.INVALID_TRANSACTION_TIMEOUT));
        }
        return withId(transactionalId, InitResult::failed, (shard, current) -> {
            long now = clock.millis();
            if (current == null) {
                TransactionMetadata fresh = new TransactionMetadata(
                        transactionalId,
                        newProducerId(),
                        (short) 0,
                        timeoutMs,
                        TransactionState.EMPTY,
                        Set.of(),
                        Set.of(),
                        -1,
                        now);
                return persist(shard, fresh).thenApply(ok -> granted(fresh));
            }
            if (current.state().isPreparing()) {
                return done(InitResult.failed(Errors.CONCURRENT_TRANSACTIONS));
            }
            if (producerId != RecordBatch.NO_PRODUCER_ID
                    && (producerId != current.producerId() || producerEpoch != current.producerEpoch())) {
                return done(InitResult.failed(Errors.PRODUCER_FENCED));
            }
            if (current.state() == TransactionState.ONGOING) {
                // fence the previous producer and abort its transaction; the client retries
                // (CONCURRENT_TRANSACTIONS) until the abort is complete
                return abortFenced(shard, current, "a new producer of " + transactionalId)
                        .thenApply(ok -> InitResult.failed(Errors.CONCURRENT_TRANSACTIONS));
            }
            TransactionMetadata bumped = bumpEpoch(current, timeoutMs, now).withState(TransactionState.EMPTY, now);
            return persist(shard, bumped).thenApply(ok -> granted(bumped));
        });
    }

    public CompletableFuture<Errors> addPartitions(
            String transactionalId, long producerId, short producerEpoch, Set<TopicPartition> partitions) {
        return join(
                transactionalId,
                producerId,
                producerEpoch,
                current -> current.partitions().containsAll(partitions),
                current -> current.withPartitions(partitions, clock.millis()));
    }

    /**
     * AddPartitionsToTxn with {@code verify_only} from a partition leader (KIP-890 part 1): per
     * partition {@code NONE} when it is in the producer's open transaction, else
     * {@code TRANSACTION_ABORTABLE}; for every partition {@code INVALID_PRODUCER_ID_MAPPING},
     * {@code PRODUCER_FENCED} or {@code CONCURRENT_TRANSACTIONS} (the transaction is being ended)
     * when the producer does not match. Reads the state only: a transition in flight is not
     * waited for, since the leader re-checks its guard at the append.
     *
     * @throws ApiException {@code NOT_COORDINATOR} or {@code COORDINATOR_NOT_AVAILABLE} as the other APIs
     */
    public Map<TopicPartition, Errors> verifyPartitions(
            String transactionalId, long producerId, short producerEpoch, Set<TopicPartition> partitions) {
        Map<TopicPartition, Errors> verdicts = new HashMap<>();
        if (transactionalId == null || transactionalId.isEmpty()) {
            partitions.forEach(tp -> verdicts.put(tp, Errors.INVALID_REQUEST));
            return verdicts;
        }
        TransactionMetadata current = shardOf(transactionalId).states().get(transactionalId);
        Errors invalid = checkProducer(current, producerId, producerEpoch);
        if (invalid == Errors.NONE && current.state().isPreparing()) {
            invalid = Errors.CONCURRENT_TRANSACTIONS;
        }
        for (TopicPartition tp : partitions) {
            if (invalid != Errors.NONE) {
                verdicts.put(tp, invalid);
            } else {
                boolean in = current.state() == TransactionState.ONGOING
                        && current.partitions().contains(tp);
                verdicts.put(tp, in ? Errors.NONE : Errors.TRANSACTION_ABORTABLE);
            }
        }
        return verdicts;
    }

    /** AddOffsetsToTxn: the group's offsets join the transaction (its markers go to the group's coordinator). */
    public CompletableFuture<Errors> addOffsets(
            String transactionalId, long producerId, short producerEpoch, String groupId) {
        return join(
                transactionalId,
                producerId,
                producerEpoch,
                current -> current.groups().contains(groupId),
                current -> current.withGroup(groupId, clock.millis()));
    }

    /** Something joins the producer's transaction (begun by it if none is open), unless it is in already. */
    private CompletableFuture<Errors> join(
            String transactionalId,
            long producerId,
            short producerEpoch,
            Predicate<TransactionMetadata> alreadyIn,
            UnaryOperator<TransactionMetadata> add) {
        return withId(transactionalId, error -> error, (shard, current) -> {
            Errors invalid = checkProducer(current, producerId, producerEpoch);
            if (invalid != Errors.NONE) {
                return done(invalid);
            }
            if (current.state().isPreparing()) {
                return done(Errors.CONCURRENT_TRANSACTIONS);
            }
            if (current.state() == TransactionState.ONGOING && alreadyIn.test(current)) {
                return done(Errors.NONE);
            }
            return persist(shard, add.apply(current)).thenApply(ok -> Errors.NONE);
        });
    }

    /**
     * EndTxn. With {@code bumpEpoch} (v5, transactions V2, KIP-890 part 2) the decision carries
     * the producer's next epoch, so its markers fence any late batch of the ended transaction, and
     * the answer hands that epoch (or a new producer id once the epochs are used up) to the
     * producer; an abort with no transaction open is then allowed too (a V2 producer cannot tell
     * whether its first produce reached the coordinator), and bumps the epoch likewise. A retry of
     * such an end, whose answer the producer lost and which so carries the epoch before the bump,
     * is recognised from the state in {@code __transaction_state} (by any coordinator that loads
     * it) and answered the same.
     */
    public CompletableFuture<EndResult> endTransaction(
            String transactionalId, long producerId, short producerEpoch, boolean commit, boolean bumpEpoch) {
        return withId(transactionalId, EndResult::of, (shard, current) -> {
            EndTxnDecision.Outcome outcome = EndTxnDecision.decide(
                    current, producerId, producerEpoch, commit, bumpEpoch, this::newProducerId, clock.millis());
            if (outcome.prepared() == null) {
                return done(outcome.result());
            }
            return persist(shard, outcome.prepared()).thenApply(ok -> outcome.result());
        });
    }

    /** DescribeTransactions of one id. */
    public Optional<TransactionMetadata> describe(String transactionalId) throws ApiException {
        Shard shard = shardOf(transactionalId);
        return Optional.ofNullable(shard.states().get(transactionalId));
    }

    /** ListTransactions: every id this broker coordinates. */
    public List<TransactionMetadata> list() {
        loadLedPartitions();
        List<TransactionMetadata> all = new ArrayList<>();
        shards.values().stream()
                .filter(shard ->
                        shard.partition().isLeader() && shard.partition().leaderEpoch() == shard.leaderEpoch())
                .forEach(shard -> all.addAll(shard.states().values()));
        return all;
    }

    // ---- periodic work ----

    /**
     * Loads newly led partitions, aborts open transactions past their timeout (fencing their
     * producer, as Kafka does) and forgets ids idle past {@code transactional.id.expiration.ms}.
     */
    void abortTimedOutTransactions() {
        loadLedPartitions();
        long now = clock.millis();
        for (Shard shard : shards.values()) {
            for (TransactionMetadata state : List.copyOf(shard.states().values())) {
                if (state.hasExpired(now) && claim(shard, state)) {
                    log.info(
                            "Aborting the transaction of {} (producer {}), open for more than its timeout of {} ms",
                            state.transactionalId(),
                            state.producerId(),
                            state.timeoutMs());
                    abortFenced(shard, state, "its timeout")
                            .whenComplete((ok, failure) -> releaseUnlessPreparing(shard, state.transactionalId()));
                } else if (state.state().isPreparing() && claim(shard, state)) {
                    complete(shard, state); // its completion failed earlier (a state write timed out, say)
                } else if (state.state().isIdle()
                        && now - state.lastUpdateMs()
                                > properties.idExpiration().toMillis()
                        && claim(shard, state)) {
                    release(
                            state.transactionalId(),
                            txnLog.write(shard.partition(), state.transactionalId(), null)
                                    .thenRun(() -> shard.states().remove(state.transactionalId(), state)));
                }
            }
        }
    }

    /**
     * Holds the id for a periodic transition of {@code seen}, if it is still the id's state: the
     * states were copied before the id was held, and a transition may have ended in between (a
     * completion done again would write the old markers into the producer's next transaction).
     */
    private boolean claim(Shard shard, TransactionMetadata seen) {
        String transactionalId = seen.transactionalId();
        if (!busy.add(transactionalId)) {
            return false;
        }
        if (shard.states().get(transactionalId) != seen) {
            busy.remove(transactionalId);
            return false;
        }
        return true;
    }

    // ---- transitions ----

    /**
     * Bumps the epoch (so the old producer is fenced everywhere) and aborts with it. The producer
     * id stays, since the markers must close its transaction: an open transaction's epoch is at
     * most {@code Short.MAX_VALUE - 1}, so the bump fits.
     */
    private CompletableFuture<Void> abortFenced(Shard shard, TransactionMetadata ongoing, String reason) {
        long now = clock.millis();
        TransactionMetadata fenced =
                ongoing.withEpoch(ongoing.producerId(), ongoing.nextEpoch(), ongoing.timeoutMs(), now);
        log.info(
                "Fencing producer {} of {} at epoch {} because of {}",
                fenced.producerId(),
                fenced.transactionalId(),
                fenced.producerEpoch(),
                reason);
        return persist(shard, fenced.withState(TransactionState.PREPARE_ABORT, now));
    }

    /** Writes the markers of a prepared transaction, then its Complete state; frees the id at the end. */
    private void complete(Shard shard, TransactionMetadata prepared) {
        boolean commit = prepared.state() == TransactionState.PREPARE_COMMIT;
        CompletableFuture<Void> completion = markers.write(
                        prepared.producerId(),
                        prepared.producerEpoch(),
                        commit,
                        shard.leaderEpoch(),
                        prepared.markerPartitions())
                .thenCompose(ok -> persist(shard, prepared.completed(clock.millis())));
        release(prepared.transactionalId(), completion);
    }

    /** Writes {@code next} and makes it the id's state once the ISR has it; a Prepare* state goes on to completion. */
    private CompletableFuture<Void> persist(Shard shard, TransactionMetadata next) {
        return txnLog.write(shard.partition(), next.transactionalId(), next).thenRun(() -> {
            shard.states().put(next.transactionalId(), next);
            if (next.state().isPreparing()) {
                complete(shard, next);
            }
        });
    }

    // ---- ownership and loading ----

    /**
     * Runs {@code action} on the id's current state, holding the id against concurrent transitions
     * until the action's future completes; answers {@code CONCURRENT_TRANSACTIONS} when it is held,
     * and the coordinator errors when this broker does not (yet) coordinate it.
     */
    private <T> CompletableFuture<T> withId(
            String transactionalId,
            Function<Errors, T> failure,
            BiFunction<Shard, TransactionMetadata, CompletableFuture<T>> action) {
        Shard shard;
        try {
            shard = shardOf(transactionalId);
        } catch (ApiException e) {
            return done(failure.apply(Errors.forException(e)));
        }
        if (!busy.add(transactionalId)) {
            return done(failure.apply(Errors.CONCURRENT_TRANSACTIONS));
        }
        CompletableFuture<T> result;
        try {
            result = action.apply(shard, shard.states().get(transactionalId));
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.handle((value, error) -> {
            releaseUnlessPreparing(shard, transactionalId);
            return error == null ? value : failure.apply(writeError(error));
        });
    }

    /** The shard holding {@code transactionalId} if this broker leads its partition, loaded for the current epoch. */
    private Shard shardOf(String transactionalId) {
        TopicMetadata topic = txnLog.topicOrCreate()
                .orElseThrow(() -> new CoordinatorNotAvailableException(TransactionLog.TOPIC + " is being created"));
        int index = TransactionLog.partitionFor(transactionalId, topic.partitionCount());
        Partition partition = txnLog.localLeader(index)
                .orElseThrow(() -> new NotCoordinatorException("Not the coordinator of " + transactionalId));
        return loaded(index, partition);
    }

    private void loadLedPartitions() {
        txnLog.topic().ifPresent(topic -> {
            for (int index = 0; index < topic.partitionCount(); index++) {
                int i = index;
                txnLog.localLeader(i).ifPresent(partition -> loaded(i, partition));
            }
        });
        shards.entrySet().removeIf(entry -> !entry.getValue().partition().isLeader());
    }

    /** The partition's state for its current leader epoch, read from the log when that epoch is new here. */
    private synchronized Shard loaded(int index, Partition partition) {
        int epoch = partition.leaderEpoch();
        Shard shard = shards.get(index);
        if (shard != null && shard.leaderEpoch() == epoch) {
            return shard;
        }
        Shard fresh = new Shard(partition, epoch, new ConcurrentHashMap<>(txnLog.load(partition)));
        shards.put(index, fresh);
        log.info(
                "Loaded {} transactional id(s) of {}-{} in leader epoch {}",
                fresh.states().size(),
                TransactionLog.TOPIC,
                index,
                epoch);
        // decided transactions whose markers the previous coordinator may not have finished
        fresh.states().values().stream()
                .filter(state -> state.state().isPreparing())
                .forEach(state -> {
                    busy.add(state.transactionalId());
                    complete(fresh, state);
                });
        return fresh;
    }

    // ---- helpers ----

    /** The error of a request from a producer other than the id's current one, else {@code NONE}. */
    static Errors checkProducer(TransactionMetadata current, long producerId, short producerEpoch) {
        if (current == null || current.producerId() != producerId) {
            return Errors.INVALID_PRODUCER_ID_MAPPING;
        }
        return current.producerEpoch() == producerEpoch ? Errors.NONE : Errors.PRODUCER_FENCED;
    }

    /** InitProducerId's bump: a new producer id once the epochs a client may hold are used up. */
    private TransactionMetadata bumpEpoch(TransactionMetadata current, int timeoutMs, long now) {
        if (EndTxnDecision.isEpochExhausted(current)) {
            return current.withEpoch(newProducerId(), (short) 0, timeoutMs, now);
        }
        return current.withEpoch(current.producerId(), (short) (current.producerEpoch() + 1), timeoutMs, now);
    }

    private long newProducerId() {
        try {
            return producerIds.nextProducerId();
        } catch (Exception e) {
            throw new CoordinatorNotAvailableException("Could not allocate a producer id: " + e.getMessage());
        }
    }

    private static InitResult granted(TransactionMetadata state) {
        return new InitResult(Errors.NONE, state.producerId(), state.producerEpoch());
    }

    /**
     * Frees the id after a transition, unless the transition was a decision whose markers are now
     * in flight: {@link #complete} frees it when the transaction is complete.
     */
    private void releaseUnlessPreparing(Shard shard, String transactionalId) {
        TransactionMetadata state = shard.states().get(transactionalId);
        if (state == null || !state.state().isPreparing()) {
            busy.remove(transactionalId);
        }
    }

    /** Frees the id once {@code work} is done (the next transition may then begin). */
    private void release(String transactionalId, CompletableFuture<?> work) {
        work.whenComplete((ok, failure) -> {
            busy.remove(transactionalId);
            if (failure != null) {
                log.warn("Transition of {} failed: {}", transactionalId, failure.toString());
            }
        });
    }

    /** As Kafka: a state write that fails tells the client to find the coordinator again, or retry. */
    private static Errors writeError(Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof NotLeaderOrFollowerException || cause instanceof NotCoordinatorException) {
            return Errors.NOT_COORDINATOR;
        }
        if (cause instanceof ApiException api && Errors.forException(api) == Errors.COORDINATOR_NOT_AVAILABLE) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        log.debug("Transaction state write failed: {}", cause.toString());
        return Errors.COORDINATOR_NOT_AVAILABLE;
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
