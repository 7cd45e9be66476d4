package io.tributary.broker.producer;

import io.tributary.storage.log.PartitionLog;
import io.tributary.storage.log.producer.ProducerSnapshotFile;
import io.tributary.storage.log.producer.ProducerSnapshots;
import java.io.File;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.DuplicateSequenceException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.record.DefaultRecordBatch;
import org.apache.kafka.common.record.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>Persistence, as Kafka's: a snapshot of the state ({@link ProducerSnapshots}) is written
 * when the log rolls a segment (at the new segment's base offset) and at a clean shutdown (at the
 * log end). {@link #load} takes the newest readable snapshot between the log start offset and
 * the recovery point and replays only the batches after it, or the whole log when there is none.
 * So a producer whose batches retention has deleted keeps its epoch and sequence, and a
 * transaction opened in a deleted segment still holds the last stable offset. A snapshot keeps
 * each producer's last batch only (Kafka's format), so right after a load only a retry of that
 * batch is recognised as a duplicate.
 *
 * <p>Expiration, as Kafka's {@code removeExpiredProducers}: a producer with no open transaction
 * whose last write (the max timestamp of its last batch, or the timestamp of its last marker) is
 * {@code producer.id.expiration.ms} old or older is forgotten by {@link #removeExpiredProducers},
 * which the broker calls every {@code producer.id.expiration.check.interval.ms}, and is left out
 * of loads from a snapshot. A snapshot taken afterwards no longer holds it. When it writes again
 * it is a producer this partition knows nothing about: any sequence is accepted, as Kafka 4.x
 * does since KIP-360 (no {@code UNKNOWN_PRODUCER_ID}).
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

    /** Kafka's default {@code producer.id.expiration.ms}: one day. */
    public static final long DEFAULT_PRODUCER_ID_EXPIRATION_MS = 86_400_000L;

    private static final Logger LOG = LoggerFactory.getLogger(ProducerStateManager.class);

    /** Offsets and sequences of one appended batch. */
    public record BatchMetadata(int firstSeq, int lastSeq, long firstOffset, long lastOffset) {}

    private static final class ProducerEntry {
        private short epoch;
        private final ArrayDeque<BatchMetadata> batches = new ArrayDeque<>(CACHED_BATCHES);
        /** The max timestamp of the last batch or marker: the producer's last write, for expiration. */
        private long lastTimestamp = RecordBatch.NO_TIMESTAMP;
        /**
         * A marker moved the producer to this epoch and no batch of it came since: the producer's
         * sequence begins at 0 here (transactions V2 bump the epoch with every end, and the client
         * restarts its sequences), as Kafka's check against an empty entry of a known epoch.
         */
        private boolean epochFromMarker;

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
    private final ProducerSnapshots snapshots;
    private final Clock clock;
    private final long producerIdExpirationMs;
    private final Map<Long, ProducerEntry> producers = new HashMap<>();
    /** Open transactions: producer id to the offset of its first batch in the transaction. */
    private final Map<Long, Long> ongoing = new HashMap<>();

    private volatile long firstUnstableOffset = Long.MAX_VALUE;

    /**
     * The state of {@code topicPartition}, whose snapshots live in its log directory {@code logDir}.
     *
     * @param clock                  tells the time loads from a snapshot expire producers at
     * @param producerIdExpirationMs {@code producer.id.expiration.ms}
     */
    public ProducerStateManager(TopicPartition topicPartition, File logDir, Clock clock, long producerIdExpirationMs) {
        this.topicPartition = topicPartition;
        this.snapshots = new ProducerSnapshots(topicPartition, logDir);
        this.clock = clock;
        this.producerIdExpirationMs = producerIdExpirationMs;
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
        if (entry.epochFromMarker && batch.baseSequence() != 0) {
            // a later batch of the producer's next transaction that overtook its first one (being
            // retried): appended, it would leave the first out of sequence for good
            throw new OutOfOrderSequenceException("Producer " + batch.producerId() + " began epoch " + epoch
                    + " (its transaction marker's) at sequence " + batch.baseSequence() + " instead of 0 on "
                    + topicPartition);
        }
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
                entry.epochFromMarker = true;
            }
            // as Kafka: the marker is the producer's last write, so expiration counts from it
            entry.lastTimestamp = batch.maxTimestamp();
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
        entry.epochFromMarker = false;
        if (entry.batches.size() == CACHED_BATCHES) {
            entry.batches.removeFirst();
        }
        entry.batches.addLast(
                new BatchMetadata(batch.baseSequence(), batch.lastSequence(), batch.baseOffset(), batch.lastOffset()));
        entry.lastTimestamp = batch.maxTimestamp();
    }

    /**
     * Records the batches just appended to {@code log}. If the log's active segment changed since
     * {@code activeSegmentBefore} (the append rolled), the state as it stood before these batches,
     * which is the state at the new segment's base offset, is snapshotted first.
     */
    public void appended(Iterable<? extends RecordBatch> batches, long activeSegmentBefore, PartitionLog log) {
        long activeSegment = activeSegmentBaseOffset(log);
        if (activeSegment != activeSegmentBefore) {
            takeSnapshot(activeSegment, log.logStartOffset(), false);
        }
        for (RecordBatch batch : batches) {
            update(batch);
        }
    }

    /** The base offset of {@code log}'s active segment, to pass to {@link #appended} after an append. */
    public static long activeSegmentBaseOffset(PartitionLog log) {
        return log.logEndOffsetMetadata().segmentBaseOffset();
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

    /**
     * Whether a batch of {@code producerId} at {@code producerEpoch} belongs to a transaction open
     * on this partition: one is open and it is at that epoch. A batch at a newer epoch begins a new
     * transaction (transactions V2 bump the epoch at every end), whose predecessor's marker may
     * not have arrived yet; appending it into the open one would let that marker end it too.
     */
    public boolean hasOngoingTransaction(long producerId, short producerEpoch) {
        ProducerEntry entry = producers.get(producerId);
        return ongoing.containsKey(producerId) && entry != null && entry.epoch == producerEpoch;
    }

    /** The producer's current epoch here, {@link RecordBatch#NO_PRODUCER_EPOCH} when unknown. */
    public short epochOf(long producerId) {
        ProducerEntry entry = producers.get(producerId);
        return entry == null ? RecordBatch.NO_PRODUCER_EPOCH : entry.epoch;
    }

    /**
     * Forgets the producers with no open transaction whose last write is
     * {@code producer.id.expiration.ms} or more before {@code nowMs} (Kafka's
     * {@code removeExpiredProducers}).
     *
     * @return how many were forgotten
     */
    public int removeExpiredProducers(long nowMs) {
        int before = producers.size();
        producers.entrySet().removeIf(e -> !ongoing.containsKey(e.getKey()) && idleTooLong(e.getValue(), nowMs));
        return before - producers.size();
    }

    private boolean idleTooLong(ProducerEntry entry, long nowMs) {
        return nowMs - entry.lastTimestamp >= producerIdExpirationMs;
    }

    /**
     * Forgets everything and loads the state of {@code log}: the newest readable snapshot between
     * its log start offset and its recovery point (snapshots past the log end are deleted) without
     * its expired producers, then the batches after it; the whole log when no snapshot is usable.
     */
    public void load(PartitionLog log) {
        producers.clear();
        ongoing.clear();
        long replayFrom = log.logStartOffset();
        try {
            Optional<ProducerSnapshots.Loaded> snapshot = snapshots.loadLatest(
                    log.logStartOffset(), Math.min(log.recoveryPoint(), log.logEndOffset()), log.logEndOffset());
            if (snapshot.isPresent()) {
                snapshot.get().entries().forEach(this::restore);
                // as Kafka's loadFromSnapshot: an expired producer is not brought back
                removeExpiredProducers(clock.millis());
                replayFrom = snapshot.get().offset();
            }
        } catch (IOException e) {
            // a snapshot only saves replaying: without one the whole log is replayed
            producers.clear();
            ongoing.clear();
            LOG.warn("{}: producer snapshots unreadable, replaying the whole log: {}", topicPartition, e.toString());
        }
        // a snapshot at the log end (a clean shutdown) leaves nothing to replay; the iterator would
        // still read the headers of the whole active segment to find its start
        if (replayFrom < log.logEndOffset()) {
            for (RecordBatch batch : log.reader().batchesFrom(replayFrom)) {
                update(batch);
            }
        }
        publishFirstUnstable();
        LOG.debug("{}: loaded {} producers, replaying from offset {}", topicPartition, producers.size(), replayFrom);
    }

    /**
     * Before the log is truncated to {@code offset}: deletes the snapshots past it, which would
     * describe batches about to go. The state itself is {@link #load}ed again afterwards.
     */
    public void beforeTruncation(long offset) {
        try {
            snapshots.deleteIf(snapshotOffset -> snapshotOffset > offset);
        } catch (IOException e) {
            LOG.warn("{}: producer snapshots past offset {} not deleted: {}", topicPartition, offset, e.toString());
        }
    }

    /** The log restarts empty elsewhere: forgets every producer and deletes every snapshot. */
    public void reset() {
        producers.clear();
        ongoing.clear();
        publishFirstUnstable();
        beforeTruncation(-1);
    }

    /**
     * Writes the current state as the snapshot at {@code offset} (it must be the state after
     * every batch below {@code offset} and none above), fsynced when {@code sync}, and deletes the
     * snapshots below {@code logStartOffset} and all but the newest few. A failure is logged and
     * otherwise ignored: the snapshot only saves replaying the log.
     */
    public void takeSnapshot(long offset, long logStartOffset, boolean sync) {
        List<ProducerSnapshotFile.Entry> entries = new ArrayList<>(producers.size());
        producers.forEach((id, entry) -> entries.add(toSnapshot(id, entry)));
        try {
            snapshots.write(offset, entries, sync, logStartOffset);
            LOG.debug("{}: producer snapshot of {} producers at offset {}", topicPartition, entries.size(), offset);
        } catch (IOException e) {
            LOG.warn("{}: producer snapshot at offset {} not written: {}", topicPartition, offset, e.toString());
        }
    }

    private ProducerSnapshotFile.Entry toSnapshot(long producerId, ProducerEntry entry) {
        BatchMetadata last = entry.batches.peekLast();
        return new ProducerSnapshotFile.Entry(
                producerId,
                entry.epoch,
                last == null ? RecordBatch.NO_SEQUENCE : last.lastSeq(),
                last == null ? -1L : last.lastOffset(),
                last == null ? 0 : (int) (last.lastOffset() - last.firstOffset()),
                entry.lastTimestamp,
                RecordBatch.NO_PARTITION_LEADER_EPOCH,
                ongoing.getOrDefault(producerId, -1L));
    }

    private void restore(ProducerSnapshotFile.Entry saved) {
        ProducerEntry entry = new ProducerEntry(saved.epoch());
        if (saved.lastOffset() >= 0) {
            entry.batches.addLast(new BatchMetadata(
                    DefaultRecordBatch.decrementSequence(saved.lastSequence(), saved.offsetDelta()),
                    saved.lastSequence(),
                    saved.lastOffset() - saved.offsetDelta(),
                    saved.lastOffset()));
        }
        entry.lastTimestamp = saved.timestamp();
        producers.put(saved.producerId(), entry);
        if (saved.currentTxnFirstOffset() >= 0) {
            ongoing.put(saved.producerId(), saved.currentTxnFirstOffset());
        }
    }

    public int producerCount() {
        return producers.size();
    }

    private static boolean inSequence(int lastSeq, int nextSeq) {
        return nextSeq == lastSeq + 1 || (nextSeq == 0 && lastSeq == Integer.MAX_VALUE);
    }
}
