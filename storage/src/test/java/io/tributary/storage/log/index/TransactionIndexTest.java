package io.tributary.storage.log.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransactionIndexTest {

    @TempDir
    Path tmp;

    private File file() {
        return tmp.resolve("00000000000000000100.txnindex").toFile();
    }

    @Test
    void shouldWriteKafkasThirtyFourByteEntriesBigEndian() throws Exception {
        try (TransactionIndex index = new TransactionIndex(file(), 100)) {
            index.append(new AbortedTxn(7L, 95, 120, 121));
            index.flush();
        }

        ByteBuffer expected = ByteBuffer.allocate(34)
                .putShort((short) 0)
                .putLong(7L)
                .putLong(95)
                .putLong(120)
                .putLong(121);
        assertThat(Files.readAllBytes(file().toPath())).isEqualTo(expected.array());
    }

    @Test
    void shouldCreateTheFileOnlyWithTheFirstEntry() throws Exception {
        try (TransactionIndex index = new TransactionIndex(file(), 100)) {
            assertThat(index.allAbortedTxns()).isEmpty();
            assertThat(file()).doesNotExist();
            index.append(new AbortedTxn(1L, 100, 101, 102));
            assertThat(file()).hasSize(AbortedTxn.SIZE);
        }
    }

    @Test
    void shouldReadItsEntriesBackAfterReopening() throws Exception {
        try (TransactionIndex index = new TransactionIndex(file(), 100)) {
            index.append(new AbortedTxn(1L, 100, 104, 105));
            index.append(new AbortedTxn(2L, 102, 110, 111));
        }
        try (TransactionIndex index = new TransactionIndex(file(), 100)) {
            assertThat(index.allAbortedTxns())
                    .containsExactly(new AbortedTxn(1L, 100, 104, 105), new AbortedTxn(2L, 102, 110, 111));
            assertThatThrownBy(() -> index.append(new AbortedTxn(3L, 105, 110, 111)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("110");
        }
    }

    @Test
    void shouldDropEntriesWhoseMarkerIsAtOrAfterTheTruncationOffset() throws Exception {
        try (TransactionIndex index = new TransactionIndex(file(), 100)) {
            index.append(new AbortedTxn(1L, 100, 104, 105));
            index.append(new AbortedTxn(2L, 102, 110, 111));
            index.append(new AbortedTxn(3L, 111, 115, 116));

            index.truncateTo(110);

            assertThat(index.allAbortedTxns()).containsExactly(new AbortedTxn(1L, 100, 104, 105));
            assertThat(file()).hasSize(AbortedTxn.SIZE);
            // the last offset went back with the truncation: a new marker at 110 is accepted
            index.append(new AbortedTxn(4L, 106, 110, 111));
            assertThat(index.allAbortedTxns()).hasSize(2);
        }
    }

    @Test
    void shouldIgnoreATornTrailingEntry() throws Exception {
        try (TransactionIndex index = new TransactionIndex(file(), 100)) {
            index.append(new AbortedTxn(1L, 100, 104, 105));
        }
        Files.write(file().toPath(), new byte[] {0, 0, 0, 0, 0, 9}, StandardOpenOption.APPEND);

        try (TransactionIndex index = new TransactionIndex(file(), 100)) {
            assertThat(index.allAbortedTxns()).containsExactly(new AbortedTxn(1L, 100, 104, 105));
            index.append(new AbortedTxn(2L, 106, 107, 108));
            assertThat(index.allAbortedTxns()).hasSize(2);
            assertThat(file()).hasSize(2L * AbortedTxn.SIZE);
        }
    }

    @Test
    void shouldCollectOverlappingTransactionsAndStopAtTheFirstStableOffsetPastTheBound() throws Exception {
        try (TransactionIndex index = new TransactionIndex(file(), 100)) {
            index.append(new AbortedTxn(1L, 90, 104, 105));
            index.append(new AbortedTxn(2L, 106, 110, 111));
            index.append(new AbortedTxn(3L, 120, 125, 126));

            TransactionIndex.SearchResult before110 = index.collectAbortedTxns(100, 108);
            assertThat(before110.abortedTransactions())
                    .containsExactly(new AbortedTxn(1L, 90, 104, 105), new AbortedTxn(2L, 106, 110, 111));
            assertThat(before110.complete()).isTrue();

            TransactionIndex.SearchResult after = index.collectAbortedTxns(105, 200);
            assertThat(after.abortedTransactions())
                    .extracting(AbortedTxn::producerId)
                    .containsExactly(2L, 3L);
            assertThat(after.complete()).isFalse();
        }
    }

    @Test
    void shouldFailTheSanityCheckForAMarkerBelowTheBaseOffset() throws Exception {
        try (TransactionIndex index = new TransactionIndex(file(), 100)) {
            index.append(new AbortedTxn(1L, 90, 99, 100));
            assertThatThrownBy(index::sanityCheck).isInstanceOf(CorruptIndexException.class);
        }
    }
}
