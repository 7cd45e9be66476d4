package io.tributary.broker.producer;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.DuplicateSequenceException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.record.RecordBatch;

/**
 * The idempotent-producer state of one partition: for each producer id its epoch and the
 * metadata of its last {@value #CACHED_BATCHES} batches (the Java client keeps at most five
 * requests in flight, so a retry always matches one of them).
 *
 * <p>Checks, in Kafka's order: an epoch below the current one is fenced
 * ({@code INVALID_PRODUCER_EPOCH}); a batch matching a cached batch's sequence range is a
 * duplicate and is acknowledged with its original offsets, not appended again; otherwise the
 * batch must continue the sequence ({@code OUT_OF_ORDER_SEQUENCE_NUMBER}), or start at 0 in a
 * new epoch. A producer this partition knows nothing about (new, or its state fell out with
 * retention) may start at any sequence.
 *
 * <p>The state is not persisted: {@link #rebuild} replays the log's recent batches when the
 * partition is opened, which restores it after a restart or a leader change.
 *
 * <p>Transactions: a producer's first transactional batch opens its transaction at that offset;
 * its COMMIT or ABORT control batch (written by the transaction coordinator) closes it. The
 * smallest first offset of the open transactions bounds the last stable offset. The aborted
 * transactions themselves are the log's: its {@code .txnindex} files.
 *
 * <p>Not thread-safe for updates: the owning partition calls them under its append lock. The
 * first unstable offset is published for lock-free readers.
 */
public final class ProducerStateManager {

    static final int CACHED_BATCHES = 5;

    /** Offsets and sequences of one appended batch. */
    public record BatchMetadata(int firstSeq, int lastSeq, long firstOffset, long lastOffset) {}

    private static final class ProducerEntry {
        private short epoch;
        private final ArrayDeque<BatchMetadata> batches = new ArrayDeque<>(CACHED_BATCHES);

        ProducerEntry(short epoch) {
            this.epoch = epoch;
        }

        int lastSeq() {
            return batches.isEmpty()
                    ? RecordBatch.NO_SEQUENCE
                    : batches.peekLast().lastSeq();
        }
    }

    private final TopicPartition topicPartition;
    private final Map<Long, ProducerEntry> producers = new HashMap<>();
    /** Open transactions: producer id to the offset of its first batch in the transaction. */
    private final Map<Long, Long> ongoing = new HashMap<>();

    private volatile long firstUnstableOffset = Long.MAX_VALUE;

    public ProducerStateManager(TopicPartition topicPartition) {
        this.topicPartition = topicPartition;
    }

    /**
     * Validates an idempotent batch before it is appended.
     *
     * @return the earlier append of the same batch when this is a retry, else empty
     * @throws InvalidProducerEpochException when the producer's epoch is older than the current one
     * @throws OutOfOrderSequenceException   when the batch does not continue the producer's sequence
     */
    public Optional<BatchMetadata> validate(RecordBatch batch) {
        ProducerEntry entry = producers.get(batch.producerId());
        if (entry == null) {
            return Optional.empty();
        }
        short epoch = batch.producerEpoch();
        if (epoch < entry.epoch) {
            throw new InvalidProducerEpochException("Producer " + batch.producerId() + " has epoch " + epoch
                    + " but the current epoch is " + entry.epoch + " on " + topicPartition);
        }
        if (epoch > entry.epoch) {
            if (batch.baseSequence() != 0) {
                throw new OutOfOrderSequenceException("Producer " + batch.producerId() + " began epoch " + epoch
                        + " at sequence " + batch.baseSequence() + " instead of 0 on " + topicPartition);
            }
            return Optional.empty();
        }
        for (BatchMetadata cached : entry.batches) {
            if (cached.firstSeq() == batch.baseSequence() && cached.lastSeq() == batch.lastSequence()) {
                return Optional.of(cached);
            }
        }
        int lastSeq = entry.lastSeq();
        if (lastSeq != RecordBatch.NO_SEQUENCE && !inSequence(lastSeq, batch.baseSequence())) {
            throw new OutOfOrderSequenceException("Producer " + batch.producerId() + " sent sequence "
                    + batch.baseSequence() + " after " + lastSeq + " on " + topicPartition);
        }
        return Optional.empty();
    }

    /**
     * Validates every idempotent batch of a produce request: the earlier append's metadata when
     * the request is a retry of one batch already in the log, empty when it is new.
     *
     * @throws DuplicateSequenceException when a retried batch comes with new ones
     */
    public Optional<BatchMetadata> retriedBatch(Iterable<? extends RecordBatch> batches) {
        int count = 0;
        Optional<BatchMetadata> duplicate = Optional.empty();
        for (RecordBatch batch : batches) {
            count++;
            if (batch.hasProducerId()) {
                Optional<BatchMetadata> earlier = validate(batch);
                if (earlier.isPresent()) {
                    duplicate = earlier;
                }
            }
        }
        if (duplicate.isPresent() && count > 1) {
            throw new DuplicateSequenceException(
                    "A request to " + topicPartition + " mixes a retried batch with new ones");
        }
        return duplicate;
    }

    /** Records a batch that has been appended (its offsets assigned). */
    public void update(RecordBatch batch) {
        if (!batch.hasProducerId()) {
            return;
        }
        ProducerEntry entry =
                producers.computeIfAbsent(batch.producerId(), id -> new ProducerEntry(batch.producerEpoch()));
        if (batch.isControlBatch()) {
            // a marker carries no sequence; it may come in a newer epoch (a fenced producer's abort)
            if (batch.producerEpoch() > entry.epoch) {
                entry.epoch = batch.producerEpoch();
                entry.batches.clear();
            }
            completeTransaction(batch);
            return;
        }
        if (batch.isTransactional()) {
            ongoing.putIfAbsent(batch.producerId(), batch.baseOffset());
            publishFirstUnstable();
        }
        if (batch.producerEpoch() != entry.epoch) {
            entry.epoch = batch.producerEpoch();
            entry.batches.clear();
        }
        if (entry.batches.size() == CACHED_BATCHES) {
            entry.batches.removeFirst();
        }
        entry.batches.addLast(
                new BatchMetadata(batch.baseSequence(), batch.lastSequence(), batch.baseOffset(), batch.lastOffset()));
    }

    /**
     * Validates a transaction marker before the coordinator's WriteTxnMarkers appends it.
     *
     * @throws InvalidProducerEpochException when the marker's epoch is older than the producer's
     */
    public void validateMarker(long producerId, short epoch) {
        ProducerEntry entry = producers.get(producerId);
        if (entry != null && epoch < entry.epoch) {
            throw new InvalidProducerEpochException("Marker of producer " + producerId + " has epoch " + epoch
                    + " but the current epoch is " + entry.epoch + " on " + topicPartition);
        }
    }

    private void completeTransaction(RecordBatch marker) {
        ongoing.remove(marker.producerId());
        publishFirstUnstable();
    }

    private void publishFirstUnstable() {
        long first = Long.MAX_VALUE;
        for (long offset : ongoing.values()) {
            first = Math.min(first, offset);
        }
        firstUnstableOffset = first;
    }

    /** The first offset of the oldest open transaction, {@link Long#MAX_VALUE} when none is open. */
    public long firstUnstableOffset() {
        return firstUnstableOffset;
    }

    /** Whether {@code producerId} has an open transaction on this partition. */
    public boolean hasOngoingTransaction(long producerId) {
        return ongoing.containsKey(producerId);
    }

    /** Forgets everything and replays {@code batches} (from the log) in order. */
    public void rebuild(Iterable<? extends RecordBatch> batches) {
        producers.clear();
        ongoing.clear();
        publishFirstUnstable();
        Iterator<? extends RecordBatch> iterator = batches.iterator();
        while (iterator.hasNext()) {
            update(iterator.next());
        }
    }

    public int producerCount() {
        return producers.size();
    }

    private static boolean inSequence(int lastSeq, int nextSeq) {
        return nextSeq == lastSeq + 1 || (nextSeq == 0 && lastSeq == Integer.MAX_VALUE);
    }
}
