package io.tributary.storage.log.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetIndexTest {

    @TempDir
    Path tmp;

    private OffsetIndex index(int maxSize) throws IOException {
        return new OffsetIndex(tmp.resolve("00000000000000000100.index").toFile(), 100, maxSize);
    }

    @Test
    void shouldLookUpEntriesAtBetweenAndPastThem() throws IOException {
        OffsetIndex index = index(1024);
        index.append(110, 400);
        index.append(120, 900);
        index.append(135, 1700);

        assertThat(index.lookup(99)).isEqualTo(new OffsetPosition(100, 0));
        assertThat(index.lookup(105)).isEqualTo(new OffsetPosition(100, 0));
        assertThat(index.lookup(110)).isEqualTo(new OffsetPosition(110, 400));
        assertThat(index.lookup(119)).isEqualTo(new OffsetPosition(110, 400));
        assertThat(index.lookup(120)).isEqualTo(new OffsetPosition(120, 900));
        assertThat(index.lookup(134)).isEqualTo(new OffsetPosition(120, 900));
        assertThat(index.lookup(135)).isEqualTo(new OffsetPosition(135, 1700));
        assertThat(index.lookup(10_000)).isEqualTo(new OffsetPosition(135, 1700));
        index.close();
    }

    @Test
    void shouldLookUpTheLastEntryAtOrBelowAPosition() throws IOException {
        OffsetIndex index = index(1024);
        index.append(110, 400);
        index.append(120, 900);

        assertThat(index.lookupByPosition(399)).isEqualTo(new OffsetPosition(100, 0));
        assertThat(index.lookupByPosition(400)).isEqualTo(new OffsetPosition(110, 400));
        assertThat(index.lookupByPosition(899)).isEqualTo(new OffsetPosition(110, 400));
        assertThat(index.lookupByPosition(5000)).isEqualTo(new OffsetPosition(120, 900));
        index.close();
    }

    @Test
    void shouldStoreRelativeOffsetAndPositionAsBigEndianInts() throws IOException {
        OffsetIndex index = index(1024);
        index.append(110, 400);
        index.close();

        File file = tmp.resolve("00000000000000000100.index").toFile();
        assertThat(file.length()).isEqualTo(8);
        try (RandomAccessFile raf = new RandomAccessFile(file, "r")) {
            assertThat(raf.readInt()).isEqualTo(10);
            assertThat(raf.readInt()).isEqualTo(400);
        }
    }

    @Test
    void shouldPreallocateThenTrimAndReloadEntries() throws IOException {
        OffsetIndex index = index(100);
        assertThat(index.length()).isEqualTo(96);
        assertThat(index.maxEntries()).isEqualTo(12);
        index.append(101, 10);
        index.append(102, 20);
        index.trimToValidSize();
        assertThat(index.length()).isEqualTo(16);
        index.close();

        OffsetIndex reopened = index(100);
        assertThat(reopened.entries()).isEqualTo(2);
        assertThat(reopened.lastEntry()).isEqualTo(new OffsetPosition(102, 20));
        reopened.sanityCheck();
        reopened.close();
    }

    @Test
    void shouldRefuseNonIncreasingOffsetsAndAppendsToAFullIndex() throws IOException {
        OffsetIndex index = index(16);
        index.append(101, 10);
        assertThatThrownBy(() -> index.append(101, 20)).isInstanceOf(InvalidIndexEntryException.class);
        index.append(102, 20);
        assertThat(index.isFull()).isTrue();
        assertThatThrownBy(() -> index.append(103, 30))
                .isInstanceOf(InvalidIndexEntryException.class)
                .hasMessageContaining("full");
        index.close();
    }

    @Test
    void shouldTruncateEntriesAtOrAboveAnOffset() throws IOException {
        OffsetIndex index = index(1024);
        index.append(110, 400);
        index.append(120, 900);
        index.append(135, 1700);

        index.truncateTo(120);

        assertThat(index.entries()).isEqualTo(1);
        assertThat(index.lookup(200)).isEqualTo(new OffsetPosition(110, 400));
        index.close();
    }

    @Test
    void shouldFailTheSanityCheckOfAZeroFilledPreallocatedFile() throws IOException {
        try (RandomAccessFile raf =
                new RandomAccessFile(tmp.resolve("00000000000000000100.index").toFile(), "rw")) {
            raf.setLength(64);
        }
        OffsetIndex index = index(1024);
        assertThatThrownBy(index::sanityCheck)
                .isInstanceOf(CorruptIndexException.class)
                .hasMessageContaining("00000000000000000100.index");
        index.close();
    }
}
