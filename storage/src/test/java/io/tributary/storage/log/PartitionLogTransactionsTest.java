package io.tributary.storage.log;

import static io.tributary.storage.testing.TransactionalRecords.marker;
import static io.tributary.storage.testing.TransactionalRecords.transactional;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.storage.log.index.AbortedTxn;
import io.tributary.storage.testing.KafkaDumpLogSegments;
import io.tributary.storage.testing.KafkaDumpLogSegments.Dump;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code .txnindex} files of a partition log: an ABORT marker indexes its transaction in the
 * marker's segment; the entries survive a reopen, are rebuilt for an unflushed tail from the
 * transactions open before it, follow truncation, and Kafka's {@code DumpLogSegments} reads them.
 */
class PartitionLogTransactionsTest {

    private static final long NOW = 1_700_000_000_000L;
    private static final long P1 = 1001L;
    private static final long P2 = 1002L;

    @TempDir
    Path tmp;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final LogConfig config = PartitionLogTest.smallConfig(Map.of());
    private File dir;
    private PartitionLog log;

    @BeforeEach
    void setUp() {
        dir = tmp.resolve("orders-0").toFile();
        log = PartitionLog.open(dir, config, scheduler, Clock.systemUTC());
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        log.close();
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
    }

    /**
     * P1's aborted transaction starts at 0 in the first segment and ends with its marker in the
     * third; P2 commits in between. Offsets: P1 0-1, P2 2-3, (roll) P1 4, P2 commit 5, (roll)
     * P1 abort 6.
     */
    private AbortedTxn abortAcrossSegments() {
        log.appendAsLeader(transactional(P1, 0, NOW, "a", "k1", "k2"), 1);
        log.appendAsLeader(transactional(P2, 0, NOW, "c", "k3", "k4"), 1);
        log.roll();
        log.appendAsLeader(transactional(P1, 2, NOW, "a", "k5"), 1);
        log.appendAsLeader(marker(P2, true, NOW), 1);
        log.roll();
        log.appendAsLeader(marker(P1, false, NOW), 1);
        return new AbortedTxn(P1, 0, 6, 7);
    }

    @Test
    void shouldIndexAnAbortedTransactionInTheSegmentOfItsMarker() {
        AbortedTxn aborted = abortAcrossSegments();

        assertThat(log.segments())
                .extracting(s -> s.txnIndex().allAbortedTxns().size())
                .containsExactly(0, 0, 1);
        assertThat(log.segments().get(2).txnIndex().allAbortedTxns()).containsExactly(aborted);
        assertThat(log.reader().collectAbortedTransactions(0, 7)).containsExactly(aborted);
        assertThat(log.reader().collectAbortedTransactions(4, 5)).containsExactly(aborted);
        assertThat(log.reader().collectAbortedTransactions(7, 8)).isEmpty();
        assertThat(LogFileNames.txnIndexFile(dir, 0)).doesNotExist();
        assertThat(log.firstUnstableOffset()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldRecordTheLastStableOffsetBoundedByAnotherOpenTransaction() {
        log.appendAsLeader(transactional(P1, 0, NOW, "a", "k1"), 1);
        log.appendAsLeader(transactional(P2, 0, NOW, "b", "k2"), 1);
        assertThat(log.firstUnstableOffset()).isZero();

        log.appendAsLeader(marker(P2, false, NOW), 1);

        assertThat(log.reader().collectAbortedTransactions(0, 3)).containsExactly(new AbortedTxn(P2, 1, 2, 0));
        assertThat(log.firstUnstableOffset()).isZero();
    }

    @Test
    void shouldKeepTheAbortedTransactionsAcrossACleanReopen() {
        AbortedTxn aborted = abortAcrossSegments();
        log.close();

        log = PartitionLog.open(dir, config, 0, 7, true, scheduler, Clock.systemUTC());

        assertThat(log.reader().collectAbortedTransactions(0, 7)).containsExactly(aborted);
    }

    @Test
    void shouldRebuildTheTransactionIndexOfTheUnflushedTailFromTransactionsOpenBeforeIt() throws Exception {
        AbortedTxn aborted = abortAcrossSegments();
        log.appendAsLeader(transactional(P2, 3, NOW, "open", "k6"), 1);
        log.closeHandlers();
        // the crash lost the index entry; the first two segments are below the recovery point
        Files.delete(LogFileNames.txnIndexFile(dir, 6).toPath());

        log = PartitionLog.open(dir, config, 0, 6, false, scheduler, Clock.systemUTC());

        assertThat(log.loadInfo().segmentsRecovered()).isEqualTo(1);
        assertThat(log.reader().collectAbortedTransactions(0, 8)).containsExactly(aborted);
        assertThat(log.firstUnstableOffset()).isEqualTo(7);
    }

    @Test
    void shouldDropTheEntryOfATruncatedMarkerAndReopenItsTransaction() {
        abortAcrossSegments();

        log.truncateTo(6);

        assertThat(log.reader().collectAbortedTransactions(0, 6)).isEmpty();
        assertThat(log.firstUnstableOffset()).isZero();
        log.appendAsLeader(marker(P1, false, NOW), 1);
        assertThat(log.reader().collectAbortedTransactions(0, 7)).containsExactly(new AbortedTxn(P1, 0, 6, 7));
    }

    @Test
    void shouldWriteTransactionIndexesKafkasDumpLogSegmentsReads() throws Exception {
        AbortedTxn first = abortAcrossSegments();
        log.appendAsLeader(transactional(P2, 3, NOW, "b", "k7"), 1);
        log.appendAsLeader(marker(P2, false, NOW), 1);
        log.close();

        Dump dump = KafkaDumpLogSegments.run(dir, tmp.resolve("dump"));
        log = PartitionLog.open(dir, config, 0, 9, true, scheduler, Clock.systemUTC());

        dump.assertNoToolErrors();
        assertThat(dump.txnIndexEntries(LogFileNames.txnIndexFile(dir, 6)))
                .containsExactly(first, new AbortedTxn(P2, 7, 8, 9));
    }

    @Test
    void shouldKeepTheTransactionIndexOfACleanedSegmentWhoseSwapACrashInterrupted() throws Exception {
        AbortedTxn aborted = abortAcrossSegments();
        log.close();
        // a crash mid-swap: the segment holding the marker is a .swap with its .txnindex.swap,
        // its other indexes not yet renamed; an orphan .txnindex.swap has no .log.swap
        String swap = LogFileNames.SWAP_FILE_SUFFIX;
        rename(LogFileNames.logFile(dir, 6), swap);
        rename(LogFileNames.txnIndexFile(dir, 6), swap);
        Files.delete(LogFileNames.offsetIndexFile(dir, 6).toPath());
        Files.delete(LogFileNames.timeIndexFile(dir, 6).toPath());
        File orphan = new File(LogFileNames.txnIndexFile(dir, 100).getPath() + swap);
        Files.write(orphan.toPath(), new byte[AbortedTxn.SIZE]);

        // a clean shutdown marker: only the swap's completion touches the segment
        log = PartitionLog.open(dir, config, 0, 7, true, scheduler, Clock.systemUTC());

        assertThat(log.loadInfo().segmentsRecovered()).isZero();
        assertThat(LogFileNames.txnIndexFile(dir, 6)).exists();
        assertThat(orphan).doesNotExist();
        assertThat(log.reader().collectAbortedTransactions(0, 7)).containsExactly(aborted);
    }

    private static void rename(File file, String suffix) throws Exception {
        Files.move(file.toPath(), Path.of(file.getPath() + suffix));
    }
}
