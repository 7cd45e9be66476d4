package io.tributary.storage.log.cleaner;

import static io.tributary.storage.log.cleaner.CleanerTestLogs.NOW;
import static io.tributary.storage.log.cleaner.CleanerTestLogs.compactedConfig;
import static io.tributary.storage.log.cleaner.CleanerTestLogs.record;
import static io.tributary.storage.testing.TransactionalRecords.marker;
import static io.tributary.storage.testing.TransactionalRecords.transactional;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.storage.log.LogConfig;
import io.tributary.storage.log.MutableClock;
import io.tributary.storage.log.PartitionLog;
import io.tributary.storage.log.index.AbortedTxn;
import io.tributary.storage.testing.KafkaDumpLogSegments;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.record.ControlRecordType;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cleaner and transactions, as Kafka's: only below the last stable offset; records of
 * aborted transactions removed; markers kept until their transaction's records are gone and
 * {@code delete.retention.ms} has passed; the cleaned segments' {@code .txnindex} files.
 */
class CleanerTransactionsTest {

    private static final long P1 = 501L;
    private static final long P2 = 502L;

    @TempDir
    Path tmp;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final MutableClock clock = new MutableClock(NOW);
    private final List<PartitionLog> opened = new ArrayList<>();

    @AfterEach
    void tearDown() throws InterruptedException {
        opened.forEach(PartitionLog::close);
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
    }

    private PartitionLog open(String name) {
        LogConfig config = compactedConfig(Map.of(LogConfig.DELETE_RETENTION_MS_CONFIG, "1000"));
        PartitionLog log = PartitionLog.open(tmp.resolve(name).toFile(), config, scheduler, clock);
        opened.add(log);
        return log;
    }

    private CleaningResult clean(PartitionLog log) throws Exception {
        Cleaner cleaner = new Cleaner(
                new OffsetMap(1 << 16), 1024, new Throttler(Double.MAX_VALUE, System::nanoTime), clock, () -> false);
        return cleaner.clean(LogToClean.of(log, -1, clock.millis()));
    }

    /** Ten other keys, one record per batch, {@code rounds} times: fills a few segments. */
    private static void writeUpdates(PartitionLog log, int rounds) {
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < 10; k++) {
                log.appendAsLeader(record(NOW, "k" + k, "v" + round), 0);
            }
        }
    }

    private static void rollAndCommit(PartitionLog log) {
        log.roll();
        log.highWatermark().update(log.logEndOffset());
    }

    /**
     * P1 commits a=committed (offsets 0-1); P2 aborts a=aborted, b=aborted (2-4); P2 commits
     * c=later (5-6), so that its ABORT marker is not its last batch.
     */
    private static void commitThenAbortTheSameKey(PartitionLog log) {
        log.appendAsLeader(transactional(P1, 0, NOW, "committed", "a"), 0);
        log.appendAsLeader(marker(P1, true, NOW), 0);
        log.appendAsLeader(transactional(P2, 0, NOW, "aborted", "a", "b"), 0);
        log.appendAsLeader(marker(P2, false, NOW), 0);
        log.appendAsLeader(transactional(P2, 2, NOW, "later", "c"), 0);
        log.appendAsLeader(marker(P2, true, NOW), 0);
    }

    @Test
    void shouldRemoveAbortedRecordsAndKeepTheCommittedValueTheyFollowed() throws Exception {
        PartitionLog log = open("txn-0");
        commitThenAbortTheSameKey(log);
        writeUpdates(log, 3);
        rollAndCommit(log);

        clean(log);

        Map<String, String> latest = latestData(log);
        assertThat(latest).containsEntry("a", "committed-a").containsEntry("c", "later-c");
        assertThat(latest).doesNotContainKey("b");
        assertThat(latest.values()).noneMatch(v -> v.startsWith("aborted"));
        // the marker stays while this cleaning removed its records, with its index entry
        assertThat(markers(log))
                .containsExactly(ControlRecordType.COMMIT, ControlRecordType.ABORT, ControlRecordType.COMMIT);
        assertThat(log.reader().collectAbortedTransactions(0, log.logEndOffset()))
                .containsExactly(new AbortedTxn(P2, 2, 4, 5));
    }

    @Test
    void shouldRemoveAMarkerOnlyOnceItsTransactionIsEmptyAndDeleteRetentionHasPassed() throws Exception {
        PartitionLog log = open("txn-1");
        commitThenAbortTheSameKey(log);
        writeUpdates(log, 3);
        log.appendAsLeader(record(NOW, "c", "plain"), 0);
        rollAndCommit(log);

        clean(log);
        CleaningResult second = clean(log);
        // both of P2's transactions are empty now: their markers got a delete horizon
        assertThat(markers(log)).hasSize(3);
        assertThat(second.latestDeleteHorizon()).isEqualTo(NOW + 1000);

        clock.advance(999);
        clean(log);
        assertThat(markers(log)).hasSize(3);

        clock.advance(2);
        clean(log);
        // P1's commit stays (a=committed is its record); P2's abort goes; P2's last commit is the
        // producer's last batch: kept as an empty header for its epoch
        assertThat(markers(log)).containsExactly(ControlRecordType.COMMIT);
        assertThat(controlBatchesOf(log, P2))
                .singleElement()
                .satisfies(b -> assertThat(b.iterator().hasNext()).isFalse());
        assertThat(log.reader().collectAbortedTransactions(0, log.logEndOffset()))
                .isEmpty();
        assertThat(latestData(log)).containsEntry("a", "committed-a").containsEntry("c", "plain");
    }

    @Test
    void shouldNotCleanFromTheSegmentOfAnOpenTransaction() throws Exception {
        PartitionLog log = open("txn-2");
        writeUpdates(log, 3);
        log.roll();
        long openTxnSegment = log.logEndOffset();
        log.appendAsLeader(transactional(P1, 0, NOW, "open", "k0"), 0);
        writeUpdates(log, 3);
        rollAndCommit(log);

        CleaningResult result = clean(log);

        assertThat(result.endOffset()).isEqualTo(openTxnSegment);
        assertThat(latestData(log)).containsEntry("k0", "v2");
        long recordsFromTheOpenTransactionOn = dataRecords(log).stream()
                .filter(offset -> offset >= openTxnSegment)
                .count();
        assertThat(recordsFromTheOpenTransactionOn).isEqualTo(31);
    }

    @Test
    void shouldWriteCleanedSegmentsKafkasDumpLogSegmentsReads() throws Exception {
        PartitionLog log = open("txn-3");
        commitThenAbortTheSameKey(log);
        writeUpdates(log, 3);
        rollAndCommit(log);
        clean(log);
        log.close();
        opened.remove(log);

        KafkaDumpLogSegments.Dump dump =
                KafkaDumpLogSegments.run(tmp.resolve("txn-3").toFile(), tmp.resolve("dump"));

        dump.assertNoToolErrors();
        assertThat(dump.txnIndexEntries(
                        tmp.resolve("txn-3/00000000000000000000.txnindex").toFile()))
                .containsExactly(new AbortedTxn(P2, 2, 4, 5));
    }

    private static Map<String, String> latestData(PartitionLog log) {
        Map<String, String> latest = new LinkedHashMap<>();
        for (RecordBatch batch : log.reader().batchesFrom(log.logStartOffset())) {
            if (!batch.isControlBatch()) {
                for (Record record : batch) {
                    latest.put(string(record.key()), string(record.value()));
                }
            }
        }
        return latest;
    }

    private static List<Long> dataRecords(PartitionLog log) {
        List<Long> offsets = new ArrayList<>();
        for (RecordBatch batch : log.reader().batchesFrom(log.logStartOffset())) {
            if (!batch.isControlBatch()) {
                batch.forEach(r -> offsets.add(r.offset()));
            }
        }
        return offsets;
    }

    private static List<ControlRecordType> markers(PartitionLog log) {
        List<ControlRecordType> types = new ArrayList<>();
        for (RecordBatch batch : log.reader().batchesFrom(log.logStartOffset())) {
            if (batch.isControlBatch()) {
                batch.forEach(r -> types.add(ControlRecordType.parse(r.key())));
            }
        }
        return types;
    }

    private static List<RecordBatch> controlBatchesOf(PartitionLog log, long producerId) {
        List<RecordBatch> batches = new ArrayList<>();
        for (RecordBatch batch : log.reader().batchesFrom(log.logStartOffset())) {
            if (batch.isControlBatch() && batch.producerId() == producerId) {
                batches.add(batch);
            }
        }
        return batches;
    }

    private static String string(ByteBuffer buffer) {
        return buffer == null ? null : StandardCharsets.UTF_8.decode(buffer).toString();
    }
}
