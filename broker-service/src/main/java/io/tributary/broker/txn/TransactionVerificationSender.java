package io.tributary.broker.txn;

import io.tributary.broker.producer.TransactionVerifier;
import io.tributary.common.protocol.client.KafkaProtocolClient;
import io.tributary.common.zk.BrokerRegistration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partition leader's side of transaction verification (KIP-890 part 1, Kafka's
 * {@code AddPartitionsToTxnManager}): sends AddPartitionsToTxn v4+ with {@code verify_only} to
 * the coordinator of each transactional id, or without it for a transactions-V2 produce (KIP-890
 * part 2), whose partition the coordinator then adds to the transaction. One request at a time per coordinator broker; the
 * verifications that arrive while it is in flight wait and go together in the next one, across
 * transactional ids (one entry per id, its partitions merged), so a busy leader sends few
 * requests.
 *
 * <p>Error translation, as Kafka's: a fenced producer ({@code PRODUCER_FENCED}) is
 * {@code INVALID_PRODUCER_EPOCH} to the produce path; a coordinator refusing this broker
 * ({@code CLUSTER_AUTHORIZATION_FAILED}) is {@code INVALID_TXN_STATE}; a partition not in the
 * transaction is {@code TRANSACTION_ABORTABLE} (v5, or {@code INVALID_TXN_STATE} from v4); a
 * coordinator that cannot be reached is {@code NETWORK_EXCEPTION} or
 * {@code COORDINATOR_NOT_AVAILABLE}. A coordinator without v4 is a coordinator that does not
 * verify: the append goes ahead.
 *
 * <p>Owns its protocol client (closed with it). Thread-safe: the queues are guarded by this object's monitor; the futures complete on the
 * protocol client's I/O thread.
 */
final class TransactionVerificationSender implements TransactionVerifier, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TransactionVerificationSender.class);

    /** The verifications of one transactional id waiting for the next request to its coordinator. */
    private static final class Waiting {
        private final long producerId;
        private final short producerEpoch;
        private final Map<TopicPartition, List<CompletableFuture<Errors>>> partitions = new HashMap<>();
        /** Whether the partitions are to be added (transactions V2), not only verified. */
        private boolean add;

        Waiting(long producerId, short producerEpoch) {
            this.producerId = producerId;
            this.producerEpoch = producerEpoch;
        }

        void completeAll(Errors error) {
            partitions.values().forEach(futures -> futures.forEach(f -> f.complete(error)));
        }
    }

    private final Function<String, Optional<BrokerRegistration>> coordinatorFor;
    private final KafkaProtocolClient client;
    /** Per coordinator broker, per transactional id, what waits for the next request. */
    private final Map<Node, Map<String, Waiting>> queued = new HashMap<>();

    private final Set<Node> inFlight = new HashSet<>();
    private final boolean verifies;
    private final boolean adds;

    /**
     * @param verifies whether v0-11 transactional produces are verified ({@code partition-verification-enable})
     * @param adds     whether transactions V2 are on ({@code transaction.version} 2)
     */
    TransactionVerificationSender(
            Function<String, Optional<BrokerRegistration>> coordinatorFor,
            KafkaProtocolClient client,
            boolean verifies,
            boolean adds) {
        this.coordinatorFor = coordinatorFor;
        this.client = client;
        this.verifies = verifies;
        this.adds = adds;
    }

    @Override
    public boolean enabled() {
        return verifies;
    }

    @Override
    public boolean addsPartitions() {
        return adds;
    }

    @Override
    public CompletableFuture<Errors> verify(
            String transactionalId,
            long producerId,
            short producerEpoch,
            TopicPartition partition,
            boolean addPartition) {
        CompletableFuture<Errors> verdict = new CompletableFuture<>();
        Optional<BrokerRegistration> coordinator;
        try {
            coordinator = coordinatorFor.apply(transactionalId);
        } catch (RuntimeException e) {
            log.debug("No coordinator for {} to verify {}: {}", transactionalId, partition, e.toString());
            coordinator = Optional.empty();
        }
        if (coordinator.isEmpty()) {
            verdict.complete(Errors.COORDINATOR_NOT_AVAILABLE);
            return verdict;
        }
        BrokerRegistration broker = coordinator.get();
        Node node = new Node(broker.id(), broker.host(), broker.kafkaPort());
        synchronized (this) {
            Map<String, Waiting> byId = queued.computeIfAbsent(node, n -> new HashMap<>());
            Waiting waiting = byId.get(transactionalId);
            if (waiting != null && (waiting.producerId != producerId || waiting.producerEpoch != producerEpoch)) {
                // one entry per id in a request: the older producer's verification loses, as in Kafka
                if (waiting.producerId == producerId && waiting.producerEpoch > producerEpoch) {
                    verdict.complete(Errors.INVALID_PRODUCER_EPOCH);
                    return verdict;
                }
                waiting.completeAll(Errors.INVALID_PRODUCER_EPOCH);
                waiting = null;
            }
            if (waiting == null) {
                waiting = new Waiting(producerId, producerEpoch);
                byId.put(transactionalId, waiting);
            }
            // one producer is either V1 or V2 for a transaction: an add also verifies, so merging is safe
            waiting.add |= addPartition;
            waiting.partitions
                    .computeIfAbsent(partition, tp -> new ArrayList<>())
                    .add(verdict);
        }
        maybeSend(node);
        return verdict;
    }

    /** Sends what waits for {@code node} unless a request to it is in flight (its answer sends the rest). */
    private void maybeSend(Node node) {
        Map<String, Waiting> batch;
        synchronized (this) {
            if (inFlight.contains(node)) {
                return;
            }
            batch = queued.remove(node);
            if (batch == null || batch.isEmpty()) {
                return;
            }
            inFlight.add(node);
        }
        client.send(node, AddPartitionsToTxnRequest.Builder.forBroker(request(batch)))
                .whenComplete((response, failure) -> {
                    try {
                        answer(node, batch, response, failure);
                    } finally {
                        synchronized (this) {
                            inFlight.remove(node);
                        }
                        maybeSend(node);
                    }
                });
    }

    @Override
    public void close() {
        client.close();
    }

    private static AddPartitionsToTxnTransactionCollection request(Map<String, Waiting> batch) {
        AddPartitionsToTxnTransactionCollection transactions = new AddPartitionsToTxnTransactionCollection();
        batch.forEach((transactionalId, waiting) -> {
            AddPartitionsToTxnTopicCollection topics = new AddPartitionsToTxnTopicCollection();
            Map<String, List<Integer>> byTopic = new HashMap<>();
            waiting.partitions
                    .keySet()
                    .forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>())
                            .add(tp.partition()));
            byTopic.forEach((topic, indexes) ->
                    topics.add(new AddPartitionsToTxnTopic().setName(topic).setPartitions(indexes)));
            transactions.add(new AddPartitionsToTxnTransaction()
                    .setTransactionalId(transactionalId)
                    .setProducerId(waiting.producerId)
                    .setProducerEpoch(waiting.producerEpoch)
                    .setVerifyOnly(!waiting.add)
                    .setTopics(topics));
        });
        return transactions;
    }

    private static void answer(Node node, Map<String, Waiting> batch, AbstractResponse response, Throwable failure) {
        if (failure != null) {
            Throwable cause =
                    failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof UnsupportedVersionException) {
                log.warn("Coordinator {} does not serve AddPartitionsToTxn v4: producing without verification", node);
                batch.values().forEach(waiting -> waiting.completeAll(Errors.NONE));
            } else {
                log.debug("Verification request to {} failed: {}", node, cause.toString());
                batch.values().forEach(waiting -> waiting.completeAll(Errors.NETWORK_EXCEPTION));
            }
            return;
        }
        AddPartitionsToTxnResponse answer = (AddPartitionsToTxnResponse) response;
        Errors topLevel = Errors.forCode(answer.data().errorCode());
        if (topLevel != Errors.NONE) {
            log.warn("Coordinator {} refused verification: {}", node, topLevel);
            batch.values()
                    .forEach(waiting -> waiting.completeAll(
                            topLevel == Errors.CLUSTER_AUTHORIZATION_FAILED ? Errors.INVALID_TXN_STATE : topLevel));
            return;
        }
        Map<String, Map<TopicPartition, Errors>> errors = answer.errors();
        batch.forEach((transactionalId, waiting) -> {
            Map<TopicPartition, Errors> verdicts = errors.getOrDefault(transactionalId, Map.of());
            waiting.partitions.forEach((tp, futures) -> {
                Errors verdict = verdicts.getOrDefault(tp, Errors.UNKNOWN_SERVER_ERROR);
                Errors translated = verdict == Errors.PRODUCER_FENCED ? Errors.INVALID_PRODUCER_EPOCH : verdict;
                futures.forEach(f -> f.complete(translated));
            });
        });
    }
}
